import {
  listInferenceConfigVersionsHandler,
  ListInferenceConfigVersionsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listInferenceConfigVersions as list } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/inference-config/versions: every saved version, newest first. */
export const listInferenceConfigVersions: ListInferenceConfigVersionsChainedHandlerFunction =
  async () => {
    const db = await database();
    return { statusCode: 200, body: { items: (await list(db)) as any } };
  };

/** Lambda entry point. */
export const handler = guard(
  listInferenceConfigVersionsHandler(
    ...INTERCEPTORS,
    listInferenceConfigVersions,
  ),
);
