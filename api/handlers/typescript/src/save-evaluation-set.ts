import {
  saveEvaluationSetHandler,
  SaveEvaluationSetChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  evaluationSetRequest,
  parseInput,
  saveEvaluationSet as save,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PUT /admin/evaluations/{name}: the set from JSONL, checked whole (400 naming each bad line), replacing one of that name. */
export const saveEvaluationSet: SaveEvaluationSetChainedHandlerFunction =
  async (request) => {
    const { jsonl } = parseInput(evaluationSetRequest, jsonBody(request));
    return {
      statusCode: 200,
      body: await save(await database(), callerOf(request), {
        name: request.input.requestParameters.name,
        jsonl,
      }),
    };
  };

/** Lambda entry point. */
export const handler = guard(
  saveEvaluationSetHandler(...INTERCEPTORS, saveEvaluationSet),
);
