import { updateUserHandler, UpdateUserChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import { parseInput, recordAudit, recordUserAccess, updateUserRequest } from '@sextant/core/store';
import { callerOf, INTERCEPTORS } from './interceptors';
import { guard, jsonBody } from './lib/http';
import { services } from './lib/services';

/** PATCH /admin/users/{userId}: enables or disables a user, or changes whether they administer Sextant. */
export const updateUser: UpdateUserChainedHandlerFunction = async (request) => {
  const patch = parseInput(updateUserRequest, jsonBody(request));
  const { db, users } = await services();
  const user = await users.update(request.input.requestParameters.userId, patch);
  // Applies at the user's next request, whatever their token still says.
  await recordUserAccess(db, user);
  await recordAudit(db, { actor: callerOf(request).username, action: 'user.update', target: user.username, detail: patch });
  return { statusCode: 200, body: user };
};

/** Lambda entry point. */
export const handler = guard(updateUserHandler(...INTERCEPTORS, updateUser));
