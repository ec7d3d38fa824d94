import {
  exportEvaluationSetHandler,
  ExportEvaluationSetChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { exportEvaluationSet as exportSet } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/evaluations/{name}: the set as JSONL, one question per line. */
export const exportEvaluationSet: ExportEvaluationSetChainedHandlerFunction =
  async (request) => ({
    statusCode: 200,
    headers: { "Content-Type": "application/x-ndjson" },
    body: await exportSet(
      await database(),
      request.input.requestParameters.name,
    ),
  });

/** Lambda entry point. */
export const handler = guard(
  exportEvaluationSetHandler(...INTERCEPTORS, exportEvaluationSet),
);
