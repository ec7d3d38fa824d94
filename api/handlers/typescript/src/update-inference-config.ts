import {
  updateInferenceConfigHandler,
  UpdateInferenceConfigChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { updateInferenceConfig as update } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { parseIfMatch, versionResponse } from "./lib/headers";
import { guard, headerOf, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PUT /admin/inference-config: saves a new version if `If-Match` is current (412 otherwise, nothing written). */
export const updateInferenceConfig: UpdateInferenceConfigChainedHandlerFunction =
  async (request) => {
    const expectedVersion = parseIfMatch(headerOf(request, "If-Match"));
    const db = await database();
    const saved = await update(db, {
      actor: callerOf(request).username,
      expectedVersion,
      config: jsonBody(request),
      evaluationRunId: headerOf(request, "Sextant-Evaluation-Run"),
    });
    return versionResponse(saved);
  };

/** Lambda entry point. */
export const handler = guard(
  updateInferenceConfigHandler(...INTERCEPTORS, updateInferenceConfig),
);
