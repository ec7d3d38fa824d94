export * from "./api-adapter.js";
export * from "./demo-users.js";
export {
  API_RESOURCE,
  CLI_CLIENT_ID,
  WEBSITE_CLIENT_ID,
  DEMO_PASSWORD_GRANT,
  createIssuer,
} from "./issuer.js";
export * from "./local-state.js";
export * from "./paths.js";
export * from "./stack.js";
export * from "./token.js";
export * from "./verify-token.js";
export * from "./website.js";
export * from "./demo-corpus.js";
export * from "./load.js";
export * from "./stats.js";
export * from "./test-support.js";
