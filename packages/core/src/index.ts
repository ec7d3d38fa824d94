export * from "./errors";
export * from "./identity/caller";
export * from "./inference-config/schema";
export * from "./inference-config/defaults";
export * from "./inference-config/validate";
