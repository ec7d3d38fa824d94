import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import {
  ADMINISTRATORS_GROUP,
  InvalidInputError,
  NotFoundError,
} from "@sextant/core";
import type { GroupMapping } from "@sextant/core";
import type {
  DirectoryUser,
  InviteUser,
  UpdateUser,
  UserDirectory,
} from "@sextant/core/store";
import { groupsOf, type DemoUser } from "./demo-users.js";

/**
 * The local issuer's users as the admin API manages them (Cognito's stand-in): changes apply to
 * the issuer at once and are kept in `users.json`, where a new user's temporary password is too.
 */
export class LocalUserDirectory implements UserDirectory {
  constructor(
    /** The issuer's own array: changed in place. */
    private readonly users: DemoUser[],
    private readonly file: string,
    /** Directory group → Sextant group, for federated users. */
    private readonly groupMapping: GroupMapping = {},
  ) {}

  private toDirectoryUser(u: DemoUser): DirectoryUser {
    const groups = groupsOf(u, this.groupMapping);
    return {
      id: u.sub,
      username: u.username,
      email: u.email,
      enabled: u.enabled !== false,
      administrator: groups.includes(ADMINISTRATORS_GROUP),
      ...(u.provider ? { provider: u.provider, groups } : {}),
    };
  }

  async list(): Promise<DirectoryUser[]> {
    return this.users.map((u) => this.toDirectoryUser(u));
  }

  async invite(input: InviteUser): Promise<DirectoryUser> {
    if (this.users.some((u) => u.username === input.username)) {
      throw new InvalidInputError(
        `The username '${input.username}' is taken.`,
        [{ path: "username", message: "is taken" }],
      );
    }
    const user: DemoUser = {
      sub: randomUUID(),
      username: input.username,
      email: input.email,
      password: randomBytes(12).toString("base64url"),
      groups: input.administrator ? [ADMINISTRATORS_GROUP] : [],
      enabled: true,
    };
    this.users.push(user);
    this.save();
    return this.toDirectoryUser(user);
  }

  async groupsOf(username: string): Promise<string[] | undefined> {
    const user = this.users.find((u) => u.username === username);
    return user && groupsOf(user, this.groupMapping);
  }

  async update(id: string, patch: UpdateUser): Promise<DirectoryUser> {
    const i = this.users.findIndex((u) => u.sub === id);
    if (i < 0) throw new NotFoundError(`There is no user ${id}.`);
    const user = this.users[i];
    if (user.provider && patch.administrator !== undefined)
      throw new InvalidInputError(
        `${user.username} signs in with ${user.provider}: their groups come from that directory, through the deployment's groupMapping.`,
        [
          {
            path: "administrator",
            message: `is set by ${user.provider}'s groups, not here`,
          },
        ],
      );
    const groups = user.groups.filter((g) => g !== ADMINISTRATORS_GROUP);
    this.users[i] = {
      ...user,
      enabled: patch.enabled ?? user.enabled ?? true,
      groups:
        (patch.administrator ?? user.groups.includes(ADMINISTRATORS_GROUP))
          ? [...groups, ADMINISTRATORS_GROUP]
          : groups,
    };
    this.save();
    return this.toDirectoryUser(this.users[i]);
  }

  /** Writes the users to their file (after a change here, or a federated user's sign-in). */
  save(): void {
    writeFileSync(this.file, JSON.stringify(this.users, null, 2), {
      mode: 0o600,
    });
  }
}
