// The light domain every API handler imports: inference configuration, identity, errors.
// Persistence is in ./store (`@sextant/core/store`); ingestion, retrieval, the chain and model
// providers in ./rag (`@sextant/core/rag`).
export * from "./errors";
export * from "./identity/caller";
export * from "./identity/group-mapping";
export * from "./usage/model-prices";
export * from "./inference-config/schema";
export * from "./inference-config/defaults";
export * from "./inference-config/validate";
export * from "./inference-config/deployment-policy";
export * from "./inference-config/merge";
