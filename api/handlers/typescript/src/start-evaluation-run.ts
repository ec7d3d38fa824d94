import {
  startEvaluationRunHandler,
  StartEvaluationRunChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  evaluationRunRequest,
  parseInput,
  startEvaluationRun as start,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** POST /admin/evaluations/{name}/runs: a run started (202); reading it advances it. */
export const startEvaluationRun: StartEvaluationRunChainedHandlerFunction =
  async (request) => {
    const { assistantId, draft } = parseInput(
      evaluationRunRequest,
      jsonBody(request),
    );
    return {
      statusCode: 202,
      body: (await start(await database(), callerOf(request), {
        setName: request.input.requestParameters.name,
        assistantId,
        draft,
      })) as any,
    };
  };

/** Lambda entry point. */
export const handler = guard(
  startEvaluationRunHandler(...INTERCEPTORS, startEvaluationRun),
);
