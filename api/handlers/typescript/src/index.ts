// The handlers package's public API (`@sextant/api-typescript-handlers`): what the local stack needs
// to run the very handlers Lambda runs. Each operation's handler is a module of its own, the entry
// point of its Lambda bundle: `@sextant/api-typescript-handlers/operations/<module>`, the module
// `OPERATIONS` names for it. The table alone, without handler code: `@sextant/api-typescript-handlers/model`.
export { provideServices, type Services } from "./lib/services";
export type { LambdaHandler } from "./lib/http";
export type { ResponseSink, StreamingOperation } from "./lib/streaming";
export {
  OPERATIONS,
  type Capability,
  type OperationFacts,
} from "./generated/operations";
export { contentSecurityPolicy } from "./lib/content-security-policy";
