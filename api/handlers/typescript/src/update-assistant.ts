import {
  updateAssistantHandler,
  UpdateAssistantChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  assistantById,
  assistantRequest,
  parseInput,
  saveAssistant,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { parseIfMatch, versionResponse } from "./lib/headers";
import { guard, headerOf, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PUT /admin/assistants/{assistantId}: the next version if `If-Match` is current (412 otherwise, nothing written). */
export const updateAssistant: UpdateAssistantChainedHandlerFunction = async (
  request,
) => {
  const { assistantId } = request.input.requestParameters;
  const input = parseInput(assistantRequest, jsonBody(request));
  const expectedVersion = parseIfMatch(headerOf(request, "If-Match"));
  const db = await database();
  const config = input.config ?? (await assistantById(db, assistantId)).config;
  const saved = await saveAssistant(db, callerOf(request), assistantId, {
    expectedVersion,
    assistant: { ...input, config },
    evaluationRunId: headerOf(request, "Sextant-Evaluation-Run"),
  });
  return versionResponse(saved);
};

/** Lambda entry point. */
export const handler = guard(
  updateAssistantHandler(...INTERCEPTORS, updateAssistant),
);
