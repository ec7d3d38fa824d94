import {
  getAssistantHandler,
  GetAssistantChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { assistantById } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { versionResponse } from "./lib/headers";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/assistants/{assistantId}: the assistant as it is now, its version as the ETag. */
export const getAssistant: GetAssistantChainedHandlerFunction = async (
  request,
) =>
  versionResponse(
    await assistantById(
      await database(),
      request.input.requestParameters.assistantId,
    ),
  );

/** Lambda entry point. */
export const handler = guard(
  getAssistantHandler(...INTERCEPTORS, getAssistant),
);
