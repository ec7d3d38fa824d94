import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  directoryGroupsOf,
  mapDirectoryGroups,
  type GroupMapping,
} from "@sextant/core";

/** A demo account of the local issuer, shaped like a Cognito user. */
export interface DemoUser {
  readonly sub: string;
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly groups: readonly string[];
  /** Disabled users cannot sign in, and their tokens stop working at the next request. @default true */
  readonly enabled?: boolean;
  /**
   * The identity provider of a federated user (made at their first sign-in through it, as
   * Cognito makes one): they sign in there, never with a password here.
   */
  readonly provider?: string;
  /** A federated user's directory groups as Cognito stores them (`custom:directory_groups`), rewritten at each sign-in. */
  readonly directoryGroups?: string;
}

/**
 * The demo accounts: an administrator, a regular user, and an analyst (group `Analysts`, who also
 * reads the demo's 2001–2021 collection). Passwords are random per checkout, generated on first
 * start and kept in `file`, so nothing guessable ever listens, even on loopback. A file from
 * before an account existed gets it added.
 */
export function loadDemoUsers(file: string): DemoUser[] {
  const stored: DemoUser[] = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as DemoUser[])
    : [];
  const password = () => randomBytes(12).toString("base64url");
  const accounts: Omit<DemoUser, "sub" | "password">[] = [
    {
      username: "admin",
      email: "admin@example.com",
      groups: ["Administrators"],
    },
    { username: "user", email: "user@example.com", groups: [] },
    { username: "analyst", email: "analyst@example.com", groups: ["Analysts"] },
  ];
  const missing = accounts.filter(
    (a) => !stored.some((u) => u.username === a.username),
  );
  if (!missing.length) return stored;
  const users = [
    ...stored,
    ...missing.map((a) => ({ ...a, sub: randomUUID(), password: password() })),
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(users, null, 2), { mode: 0o600 });
  return users;
}

/**
 * A user's Sextant groups: a local user's own; a federated user's directory groups mapped, at
 * every token as the pre-token trigger does on AWS (the same code).
 */
export function groupsOf(user: DemoUser, mapping: GroupMapping): string[] {
  return user.provider
    ? mapDirectoryGroups(
        directoryGroupsOf(user.directoryGroups, "oidc"),
        mapping,
      )
    : [...user.groups];
}

/** The user with these credentials, compared in constant time; undefined when they do not match. */
export function authenticate<
  U extends {
    readonly username: string;
    readonly password: string;
    readonly enabled?: boolean;
    readonly provider?: string;
  },
>(users: readonly U[], username: string, password: string): U | undefined {
  const user = users.find((u) => u.username === username);
  // A federated user signs in through their provider only.
  if (!user || user.enabled === false || user.provider) return undefined;
  const a = Buffer.from(user.password);
  const b = Buffer.from(password);
  return a.length === b.length && timingSafeEqual(a, b) ? user : undefined;
}
