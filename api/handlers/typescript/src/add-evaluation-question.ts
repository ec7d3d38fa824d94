import {
  addEvaluationQuestionHandler,
  AddEvaluationQuestionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { addEvaluationQuestion as add } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** POST /admin/evaluations/{name}/questions: one question added to the set (created if need be). */
export const addEvaluationQuestion: AddEvaluationQuestionChainedHandlerFunction =
  async (request) => ({
    statusCode: 200,
    body: await add(await database(), callerOf(request), {
      name: request.input.requestParameters.name,
      question: jsonBody(request),
    }),
  });

/** Lambda entry point. */
export const handler = guard(
  addEvaluationQuestionHandler(...INTERCEPTORS, addEvaluationQuestion),
);
