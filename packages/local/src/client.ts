// What talks to a running local stack without running one (`@sextant/local/client`): the
// `sextant` CLI's `local token` and `smoke`, and the demo corpus's folder. It loads none of the
// stack (no PGlite, no OIDC provider, no website server).
export * from "./client-ids.js";
export * from "./demo-corpus.js";
export {
  readLocalState,
  localStatePath,
  type LocalState,
} from "./local-state.js";
export * from "./token.js";
