import {
  updateUserHandler,
  UpdateUserChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  parseInput,
  updateUser as update,
  updateUserRequest,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";
import { userDirectory } from "./lib/user-directory";

/** PATCH /admin/users/{userId}: enables or disables a user, or changes whether they administer Sextant. */
export const updateUser: UpdateUserChainedHandlerFunction = async (request) => {
  const patch = parseInput(updateUserRequest, jsonBody(request));
  const { userId } = request.input.requestParameters;
  return {
    statusCode: 200,
    body: await update(
      { db: await database(), users: await userDirectory() },
      callerOf(request),
      userId,
      patch,
    ),
  };
};

/** Lambda entry point. */
export const handler = guard(updateUserHandler(...INTERCEPTORS, updateUser));
