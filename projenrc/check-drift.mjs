// Fails when `npx projen` would change the tree: everything projen generates must be committed
// exactly as generated (edit .projenrc.ts or projenrc/*.ts, never a generated file).
import { execFileSync } from "node:child_process";

const git = (...args) => execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
try {
  git("rev-parse", "--is-inside-work-tree");
} catch (e) {
  // In CI the check never skips: a checkout git refuses to read (another owner) must fail loudly.
  if (process.env.CI) {
    console.error(`check:drift: git cannot read this checkout in CI: ${e.message}`);
    process.exit(1);
  }
  console.log("check:drift: not a git checkout, skipped");
  process.exit(0);
}
const snapshot = () => git("status", "--porcelain=v1", "--untracked-files=all") + git("diff", "HEAD", "--binary");

const before = snapshot();
execFileSync("pnpm", ["exec", "projen", "default"], { stdio: "inherit" });
if (snapshot() !== before) {
  console.error("\ncheck:drift: `npx projen` changed the tree. Generated files differ from .projenrc.ts:");
  console.error(git("status", "--short"));
  console.error("Run `npx projen`, review the changes and commit them.");
  process.exit(1);
}
console.log("check:drift: the tree is exactly what .projenrc.ts generates");
