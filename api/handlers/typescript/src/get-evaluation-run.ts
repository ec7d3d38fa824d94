import {
  getEvaluationRunHandler,
  GetEvaluationRunChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { advanceEvaluationRun } from "@sextant/core/rag";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { openAiKey } from "./lib/openai-key";
import { database } from "./lib/services";

/**
 * Up to this much of a request goes to the run's next questions: well within API Gateway's 29 s,
 * with room for a slow last question (a run with a model judge answers and judges it twice).
 */
export const EVALUATION_SLICE_MS = 8_000;

/** GET /admin/evaluations/runs/{runId}: the run, advanced by a slice when it is running. */
export const getEvaluationRun: GetEvaluationRunChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 200,
  body: (await advanceEvaluationRun(
    await database(),
    request.input.requestParameters.runId,
    { budgetMs: EVALUATION_SLICE_MS, openAiKey: await openAiKey() },
  )) as any,
});

/** Lambda entry point. */
export const handler = guard(
  getEvaluationRunHandler(...INTERCEPTORS, getEvaluationRun),
);
