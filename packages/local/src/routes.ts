import { createRequire } from "node:module";
import type { Route } from "./api-adapter.js";

const require = createRequire(import.meta.url);

const kebab = (id: string) =>
  id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Every operation of the model with its Lambda handler: the generated runtime's operation table
 * gives method and path, the handlers package one module per operation (as PDK lays them out).
 */
export function loadRoutes(): Route[] {
  const { OperationLookup } = require("@sextant/api-typescript-runtime") as {
    OperationLookup: Record<string, { path: string; method: string }>;
  };
  return Object.entries(OperationLookup).map(
    ([operationId, { path, method }]) => {
      const module = require(
        `@sextant/api-typescript-handlers/operations/${kebab(operationId)}`,
      ) as Pick<Route, "handler" | "stream">;
      return {
        operationId,
        method,
        path,
        handler: module.handler,
        ...(module.stream ? { stream: module.stream } : {}),
      };
    },
  );
}
