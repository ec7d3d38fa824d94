import { createProgram } from "./program.js";

createProgram()
  .parseAsync()
  .catch((e: unknown) => {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
