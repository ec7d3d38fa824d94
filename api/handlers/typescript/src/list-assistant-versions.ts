import {
  listAssistantVersionsHandler,
  ListAssistantVersionsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listAssistantVersions as list } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/assistants/{assistantId}/versions: every saved version, newest first. */
export const listAssistantVersions: ListAssistantVersionsChainedHandlerFunction =
  async (request) => ({
    statusCode: 200,
    body: {
      items: (await list(
        await database(),
        request.input.requestParameters.assistantId,
      )) as any[],
    },
  });

/** Lambda entry point. */
export const handler = guard(
  listAssistantVersionsHandler(...INTERCEPTORS, listAssistantVersions),
);
