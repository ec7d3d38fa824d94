/**
 * Versions pinned for the whole repo, in one place. Each pin was verified offline on Node 20
 * (see docs/local-development.md for why each one matters).
 */
export const PNPM = "pnpm@9.15.9";
export const VITEST = "vitest@^3.2.7"; // vitest 4 needs Node 22; 3.2.7 is patched (patches/, .projenrc.ts): move the patch with it
export const VITE = "vite@^7.3.8";
export const CDK = "2.276.0";
export const CDK_NAG = "2.37.55"; // 2.38 removed a rule PDK 0.26.15's AwsPrototyping pack still references
export const TYPESCRIPT = "typescript@~5.9.3";
export const NODE_TYPES = "@types/node@^20";
/** The embedded Postgres (PGlite, pgvector, its socket server), pinned together: they share one WASM build. */
export const PGLITE = [
  "@electric-sql/pglite@0.5.14",
  "@electric-sql/pglite-pgvector@0.0.15",
  "@electric-sql/pglite-socket@0.2.17",
];
