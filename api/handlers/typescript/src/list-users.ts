import {
  listUsersHandler,
  ListUsersChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { userDirectory } from "./lib/user-directory";

/** GET /admin/users: every user. */
export const listUsers: ListUsersChainedHandlerFunction = async () => {
  const users = await userDirectory();
  return { statusCode: 200, body: { items: await users.list() } };
};

/** Lambda entry point. */
export const handler = guard(listUsersHandler(...INTERCEPTORS, listUsers));
