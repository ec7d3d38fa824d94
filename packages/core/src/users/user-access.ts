import type { DirectoryUser, UserDirectory } from "./user-directory";
import type { Database } from "../db/database";
import { UnauthenticatedError } from "../errors";
import { ADMINISTRATORS_GROUP, type Caller } from "../identity/caller";

/**
 * How long a process may reuse a user's access record: the longest a disable or a demotion takes
 * to reach a request (each API process caches per user; docs/security.md).
 */
export const USER_ACCESS_TTL_MS = 2_000;

/** Records what the user-administration operations just set, for {@link currentCaller} to enforce. */
export async function recordUserAccess(
  db: Database,
  user: Pick<DirectoryUser, "username" | "enabled" | "administrator">,
): Promise<void> {
  await db.query(
    `INSERT INTO user_access (username, enabled, administrator) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO UPDATE
       SET enabled = EXCLUDED.enabled, administrator = EXCLUDED.administrator, updated_at = now()`,
    [user.username, user.enabled, user.administrator],
  );
}

interface Cached {
  readonly access?: { enabled: boolean; administrator: boolean };
  readonly until: number;
}

/**
 * The caller as they are now, not as their token says: a disabled user is refused (401), a
 * demoted one loses the Administrators group. A token carries its groups until it expires, so
 * this runs on every request; with no record, the token's word stands. Records are cached per
 * process for {@link USER_ACCESS_TTL_MS}.
 */
export function currentCallerCheck(
  ttlMs = USER_ACCESS_TTL_MS,
  now: () => number = Date.now,
): (db: Database, caller: Caller) => Promise<Caller> {
  const cache = new Map<string, Cached>();
  return async (db, caller) => {
    let cached = cache.get(caller.username);
    if (!cached || cached.until <= now()) {
      const { rows } = await db.query<{
        enabled: boolean;
        administrator: boolean;
      }>("SELECT enabled, administrator FROM user_access WHERE username = $1", [
        caller.username,
      ]);
      cached = { access: rows[0], until: now() + ttlMs };
      cache.set(caller.username, cached);
    }
    const access = cached.access;
    if (!access) return caller;
    if (!access.enabled)
      throw new UnauthenticatedError(
        "This account is disabled: ask an administrator to enable it.",
      );
    if (access.administrator || !caller.isAdministrator) return caller;
    return {
      ...caller,
      groups: caller.groups.filter((g) => g !== ADMINISTRATORS_GROUP),
      isAdministrator: false,
    };
  };
}

/**
 * The caller with only those of their token's groups the directory still has them in: a group
 * left (in the Cognito console, or the identity provider's sync) counts from this request on, not
 * when the token expires. A group joined counts from the next token. Asking and searching run it,
 * since groups decide what they may read; a user the directory no longer has is refused (401).
 * Groups given to a federated user's token from their provider's claims (not Cognito groups)
 * would be dropped here: single sign-on must teach the directory those (issue 24).
 */
export async function withCurrentGroups(
  caller: Caller,
  users: Pick<UserDirectory, "groupsOf">,
): Promise<Caller> {
  const now = await users.groupsOf(caller.username);
  if (!now)
    throw new UnauthenticatedError(
      "This account no longer exists: ask an administrator.",
    );
  const groups = caller.groups.filter((g) => now.includes(g));
  return {
    ...caller,
    groups,
    isAdministrator: groups.includes(ADMINISTRATORS_GROUP),
  };
}
