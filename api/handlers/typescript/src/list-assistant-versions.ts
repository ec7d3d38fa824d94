import {
  listAssistantVersionsHandler,
  ListAssistantVersionsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  listAssistantVersions as list,
  versionScores,
} from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/assistants/{assistantId}/versions: every saved version, newest first. */
export const listAssistantVersions: ListAssistantVersionsChainedHandlerFunction =
  async (request) => {
    const { assistantId } = request.input.requestParameters;
    const db = await database();
    const versions = await list(db, assistantId);
    const scores = await versionScores(db, assistantId);
    return {
      statusCode: 200,
      body: {
        items: versions.map((v) => ({
          ...v,
          scores: scores.get(v.version) ?? [],
        })) as any[],
      },
    };
  };

/** Lambda entry point. */
export const handler = guard(
  listAssistantVersionsHandler(...INTERCEPTORS, listAssistantVersions),
);
