import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import {
  ADMINISTRATORS_GROUP,
  InvalidInputError,
  NotFoundError,
} from "@sextant/core";
import type {
  DirectoryUser,
  InviteUser,
  UpdateUser,
  UserDirectory,
} from "@sextant/core/store";
import type { DemoUser } from "./demo-users.js";

const toDirectoryUser = (u: DemoUser): DirectoryUser => ({
  id: u.sub,
  username: u.username,
  email: u.email,
  enabled: u.enabled !== false,
  administrator: u.groups.includes(ADMINISTRATORS_GROUP),
});

/**
 * The local issuer's users as the admin API manages them (Cognito's stand-in): changes apply to
 * the issuer at once and are kept in `users.json`, where a new user's temporary password is too.
 */
export class LocalUserDirectory implements UserDirectory {
  constructor(
    /** The issuer's own array: changed in place. */
    private readonly users: DemoUser[],
    private readonly file: string,
  ) {}

  async list(): Promise<DirectoryUser[]> {
    return this.users.map(toDirectoryUser);
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
    return toDirectoryUser(user);
  }

  async groupsOf(username: string): Promise<string[] | undefined> {
    const user = this.users.find((u) => u.username === username);
    return user && [...user.groups];
  }

  async update(id: string, patch: UpdateUser): Promise<DirectoryUser> {
    const i = this.users.findIndex((u) => u.sub === id);
    if (i < 0) throw new NotFoundError(`There is no user ${id}.`);
    const user = this.users[i];
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
    return toDirectoryUser(this.users[i]);
  }

  private save(): void {
    writeFileSync(this.file, JSON.stringify(this.users, null, 2), {
      mode: 0o600,
    });
  }
}
