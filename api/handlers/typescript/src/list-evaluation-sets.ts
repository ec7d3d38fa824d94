import {
  listEvaluationSetsHandler,
  ListEvaluationSetsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listEvaluationSets as list } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/evaluations: the evaluation sets, by name. */
export const listEvaluationSets: ListEvaluationSetsChainedHandlerFunction =
  async () => ({
    statusCode: 200,
    body: { items: await list(await database()) },
  });

/** Lambda entry point. */
export const handler = guard(
  listEvaluationSetsHandler(...INTERCEPTORS, listEvaluationSets),
);
