import {
  getInferenceConfigHandler,
  GetInferenceConfigChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { currentInferenceConfig } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { etagOf } from "./lib/headers";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/inference-config: the current configuration, its version as ETag (administrators only, by the model). */
export const getInferenceConfig: GetInferenceConfigChainedHandlerFunction =
  async () => {
    const db = await database();
    const current = await currentInferenceConfig(db);
    return {
      statusCode: 200,
      body: current as any,
      headers: { ETag: etagOf(current.version) },
    };
  };

/** Lambda entry point. */
export const handler = guard(
  getInferenceConfigHandler(...INTERCEPTORS, getInferenceConfig),
);
