import {
  getQuotasHandler,
  GetQuotasChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { currentQuotas } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { versionResponse } from "./lib/headers";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/quotas: the current quotas, their version as ETag (administrators only, by the model). */
export const getQuotas: GetQuotasChainedHandlerFunction = async () =>
  versionResponse(await currentQuotas(await database()));

/** Lambda entry point. */
export const handler = guard(getQuotasHandler(...INTERCEPTORS, getQuotas));
