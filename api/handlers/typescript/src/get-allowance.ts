import {
  getAllowanceHandler,
  GetAllowanceChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { allowancesOf } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /me/allowance: what the caller has left of their daily limits. */
export const getAllowance: GetAllowanceChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 200,
  body: {
    items: await allowancesOf(await database(), callerOf(request)),
  },
});

/** Lambda entry point. */
export const handler = guard(
  getAllowanceHandler(...INTERCEPTORS, getAllowance),
);
