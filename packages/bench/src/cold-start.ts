import { execFileSync } from "node:child_process";
import {
  readdirSync,
  statSync,
  writeFileSync,
  mkdtempSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { percentile, REPO_ROOT, round } from "@sextant/local";

const BUNDLES = join(
  REPO_ROOT,
  "api",
  "handlers",
  "typescript",
  "dist",
  "lambda",
);

/** Milliseconds to load and initialise `file` in a fresh Node process (what a Lambda cold start adds to the runtime's own start). */
function initMs(file: string): number {
  const out = execFileSync(
    process.execPath,
    [
      "-e",
      `const t = performance.now(); require(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`,
    ],
    {
      env: { ...process.env, AWS_REGION: "us-east-1", POWERTOOLS_DEV: "false" },
      encoding: "utf8",
    },
  );
  return Number(out);
}

/**
 * Each API handler's Lambda bundle (esbuild output of `npm test`'s build): its size, and the
 * median of `runs` module initialisations in fresh processes, against an empty module (the
 * baseline: what Node itself costs).
 */
export function benchColdStart(runs = 5) {
  const dir = mkdtempSync(join(tmpdir(), "sextant-cold-"));
  try {
    const empty = join(dir, "empty.js");
    writeFileSync(empty, "exports.handler = async () => ({});");
    const median = (file: string) =>
      round(
        percentile(
          Array.from({ length: runs }, () => initMs(file)),
          50,
        ),
        1,
      );
    const baselineMs = median(empty);
    const handlers = readdirSync(BUNDLES)
      // One folder per operation; `index` is the generated barrel, not a handler.
      .filter(
        (name) =>
          name !== "index" &&
          statSync(join(BUNDLES, name, "index.js"), { throwIfNoEntry: false }),
      )
      .map((name) => {
        const file = join(BUNDLES, name, "index.js");
        return {
          handler: name,
          bundleKb: Math.round(statSync(file).size / 1024),
          initMs: median(file),
        };
      })
      .sort((a, b) => b.initMs - a.initMs);
    return {
      baseline: { what: "an empty module", initMs: baselineMs },
      handlers,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
