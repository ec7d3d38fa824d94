import {
  updateQuotasHandler,
  UpdateQuotasChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { saveQuotas } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { parseIfMatch, versionResponse } from "./lib/headers";
import { guard, headerOf, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PUT /admin/quotas: saves new quotas if `If-Match` is current (412 otherwise, nothing written). */
export const updateQuotas: UpdateQuotasChainedHandlerFunction = async (
  request,
) => {
  const expectedVersion = parseIfMatch(headerOf(request, "If-Match"));
  return versionResponse(
    await saveQuotas(await database(), callerOf(request), {
      expectedVersion,
      quotas: jsonBody(request),
    }),
  );
};

/** Lambda entry point. */
export const handler = guard(
  updateQuotasHandler(...INTERCEPTORS, updateQuotas),
);
