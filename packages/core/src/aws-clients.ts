// The attempts and timeouts every AWS SDK client is built with (`@sextant/core/aws-clients`), on
// its own so a function that only needs the figures loads no client.
export * from "./aws-client-config";
