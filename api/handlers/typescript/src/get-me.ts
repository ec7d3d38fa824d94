import {
  getMeHandler,
  GetMeChainedHandlerFunction,
  Response,
} from "@sextant/api-typescript-runtime";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";

/** GET /me: the verified caller. */
export const getMe: GetMeChainedHandlerFunction = async (request) => {
  const { id, username, email, groups, isAdministrator } = callerOf(request);
  return Response.success({
    id,
    username,
    email,
    groups: [...groups],
    isAdministrator,
  });
};

/** Lambda entry point. */
export const handler = guard(getMeHandler(...INTERCEPTORS, getMe));
