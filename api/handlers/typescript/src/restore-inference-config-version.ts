import {
  restoreInferenceConfigVersionHandler,
  RestoreInferenceConfigVersionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  NotFoundError,
  restoreInferenceConfigVersion as restore,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { versionResponse } from "./lib/headers";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** POST /admin/inference-config/versions/{version}/restore: an earlier version, current again as a new one. */
export const restoreInferenceConfigVersion: RestoreInferenceConfigVersionChainedHandlerFunction =
  async (request) => {
    const { version } = request.input.requestParameters;
    if (!/^\d{1,9}$/.test(version))
      throw new NotFoundError(
        `There is no inference-configuration version ${version}.`,
      );
    const db = await database();
    const saved = await restore(db, {
      actor: callerOf(request).username,
      version: Number(version),
    });
    return versionResponse(saved);
  };

/** Lambda entry point. */
export const handler = guard(
  restoreInferenceConfigVersionHandler(
    ...INTERCEPTORS,
    restoreInferenceConfigVersion,
  ),
);
