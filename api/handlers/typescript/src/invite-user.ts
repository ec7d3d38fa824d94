import { inviteUserHandler, InviteUserChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import { inviteUserRequest, parseInput, recordAudit, recordUserAccess } from '@sextant/core/store';
import { callerOf, INTERCEPTORS } from './interceptors';
import { guard, jsonBody } from './lib/http';
import { services } from './lib/services';

/** POST /admin/users: creates a user (administrators create users; there is no self sign-up). */
export const inviteUser: InviteUserChainedHandlerFunction = async (request) => {
  const invite = parseInput(inviteUserRequest, jsonBody(request));
  const { db, users } = await services();
  const user = await users.invite(invite);
  await recordUserAccess(db, user);
  await recordAudit(db, {
    actor: callerOf(request).username,
    action: 'user.invite',
    target: user.username,
    detail: { administrator: user.administrator },
  });
  return { statusCode: 201, body: user };
};

/** Lambda entry point. */
export const handler = guard(inviteUserHandler(...INTERCEPTORS, inviteUser));
