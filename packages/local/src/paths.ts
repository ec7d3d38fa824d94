import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is at packages/local/{src,lib}/paths). */
export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Where Vite writes the built website. */
export const WEBSITE_DIST = join(REPO_ROOT, "website", "dist");
