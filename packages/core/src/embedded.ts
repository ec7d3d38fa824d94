// The embedded Postgres (PGlite with pgvector behind its socket server) for the local stack, the
// CLI and tests (`@sextant/core/embedded`). Apart from ./store, so nothing deployed loads PGlite.
export * from "./db/open-database";
