import {
  deleteEvaluationSetHandler,
  DeleteEvaluationSetChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { deleteEvaluationSet as remove } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** DELETE /admin/evaluations/{name}: the set, audited. */
export const deleteEvaluationSet: DeleteEvaluationSetChainedHandlerFunction =
  async (request) => {
    await remove(
      await database(),
      callerOf(request),
      request.input.requestParameters.name,
    );
    return { statusCode: 204, body: undefined as never };
  };

/** Lambda entry point. */
export const handler = guard(
  deleteEvaluationSetHandler(...INTERCEPTORS, deleteEvaluationSet),
);
