// The handlers package's public API (`@sextant/api-typescript-handlers`): what the local stack needs
// to run the very handlers Lambda runs. Each operation's handler is a module of its own, the entry
// point of its Lambda bundle: `@sextant/api-typescript-handlers/operations/<operation-id-in-kebab-case>`.
export { provideServices, type Services } from './lib/services';
export type { ResponseSink, StreamingOperation } from './lib/streaming';
export { ACCESS_POLICY } from './generated/access-policy';
