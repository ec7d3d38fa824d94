import {
  getUsageHandler,
  GetUsageChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { parseUsageQuery, usageReport } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/usage: metered model calls over a range of days, grouped (administrators only, by the model). */
export const getUsage: GetUsageChainedHandlerFunction = async (request) => {
  const { from, to, groupBy } = request.input.requestParameters;
  const query = parseUsageQuery({ from, to, groupBy });
  return {
    statusCode: 200,
    body: (await usageReport(await database(), query)) as any,
  };
};

/** Lambda entry point. */
export const handler = guard(getUsageHandler(...INTERCEPTORS, getUsage));
