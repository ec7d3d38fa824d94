import {
  restoreAssistantVersionHandler,
  RestoreAssistantVersionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  NotFoundError,
  restoreAssistantVersion as restore,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { versionResponse } from "./lib/headers";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** POST /admin/assistants/{assistantId}/versions/{version}/restore: an earlier configuration, current again as a new version. */
export const restoreAssistantVersion: RestoreAssistantVersionChainedHandlerFunction =
  async (request) => {
    const { assistantId, version } = request.input.requestParameters;
    if (!/^\d{1,9}$/.test(version))
      throw new NotFoundError(`There is no version ${version}.`);
    const saved = await restore(
      await database(),
      callerOf(request),
      assistantId,
      Number(version),
    );
    return versionResponse(saved);
  };

/** Lambda entry point. */
export const handler = guard(
  restoreAssistantVersionHandler(...INTERCEPTORS, restoreAssistantVersion),
);
