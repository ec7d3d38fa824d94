#!/usr/bin/env node
// The `sextant` command; the code is compiled to lib/ by `npx projen build` (or `npm start`).
import("../lib/main.js").catch((e) => {
  if (e?.code === "ERR_MODULE_NOT_FOUND") {
    console.error("The sextant CLI is not built yet: run 'npm start' or 'npx projen build' from the repository root first.");
    process.exit(1);
  }
  throw e;
});
