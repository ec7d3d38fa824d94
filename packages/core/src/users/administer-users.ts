import { recordUserAccess } from "./user-access";
import type {
  DirectoryUser,
  InviteUser,
  UpdateUser,
  UserDirectory,
} from "./user-directory";
import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import type { Caller } from "../identity/caller";

/** What administering users needs: the directory, and the store for access records and the audit log. */
export interface UserAdministration {
  readonly db: Database;
  readonly users: UserDirectory;
}

/** Creates a user (administrators create users; there is no self sign-up), audited. */
export async function inviteUser(
  deps: UserAdministration,
  actor: Caller,
  invite: InviteUser,
): Promise<DirectoryUser> {
  const user = await deps.users.invite(invite);
  await recordUserAccess(deps.db, user);
  await recordAudit(deps.db, {
    actor: actor.username,
    action: "user.invite",
    target: user.username,
    detail: { administrator: user.administrator },
  });
  return user;
}

/**
 * Enables or disables a user, or changes whether they administer Sextant, audited. It applies at
 * the user's next request, whatever their token still says (the access record).
 */
export async function updateUser(
  deps: UserAdministration,
  actor: Caller,
  userId: string,
  patch: UpdateUser,
): Promise<DirectoryUser> {
  const user = await deps.users.update(userId, patch);
  await recordUserAccess(deps.db, user);
  await recordAudit(deps.db, {
    actor: actor.username,
    action: "user.update",
    target: user.username,
    detail: patch,
  });
  return user;
}
