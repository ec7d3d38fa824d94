import {
  inviteUserHandler,
  InviteUserChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  inviteUser as invite,
  inviteUserRequest,
  parseInput,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";
import { userDirectory } from "./lib/user-directory";

/** POST /admin/users: creates a user (administrators create users; there is no self sign-up). */
export const inviteUser: InviteUserChainedHandlerFunction = async (request) => {
  const body = parseInput(inviteUserRequest, jsonBody(request));
  return {
    statusCode: 201,
    body: await invite(
      { db: await database(), users: await userDirectory() },
      callerOf(request),
      body,
    ),
  };
};

/** Lambda entry point. */
export const handler = guard(inviteUserHandler(...INTERCEPTORS, inviteUser));
