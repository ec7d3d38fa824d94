import { createRequire } from "node:module";
import { OPERATIONS } from "@sextant/api-typescript-handlers";
import type { Route } from "./api-adapter.js";

const require = createRequire(import.meta.url);

/**
 * Every operation of the model with its Lambda handler: method, path and handler module from the
 * table generated from the model, the module from the handlers package (as Lambda bundles it).
 */
export function loadRoutes(): Route[] {
  return Object.values(OPERATIONS).map((op) => {
    const module = require(
      `@sextant/api-typescript-handlers/operations/${op.module}`,
    ) as Pick<Route, "handler" | "stream">;
    if (op.streaming && !module.stream)
      throw new Error(
        `${op.operationId} streams, but ${op.module} exports no stream`,
      );
    return {
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      handler: module.handler,
      ...(op.streaming ? { stream: module.stream } : {}),
    };
  });
}
