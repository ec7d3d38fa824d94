import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A demo account of the local issuer, shaped like a Cognito user. */
export interface DemoUser {
  readonly sub: string;
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly groups: readonly string[];
  /** Disabled users cannot sign in, and their tokens stop working at the next request. @default true */
  readonly enabled?: boolean;
}

/**
 * The two demo accounts (an administrator and a regular user). Passwords are random per checkout,
 * generated on first start and kept in `file`, so nothing guessable ever listens, even on loopback.
 */
export function loadDemoUsers(file: string): DemoUser[] {
  if (existsSync(file))
    return JSON.parse(readFileSync(file, "utf8")) as DemoUser[];
  const password = () => randomBytes(12).toString("base64url");
  const users: DemoUser[] = [
    {
      sub: randomUUID(),
      username: "admin",
      password: password(),
      email: "admin@example.com",
      groups: ["Administrators"],
    },
    {
      sub: randomUUID(),
      username: "user",
      password: password(),
      email: "user@example.com",
      groups: [],
    },
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(users, null, 2), { mode: 0o600 });
  return users;
}

/** The user with these credentials, compared in constant time; undefined when they do not match. */
export function authenticate(
  users: readonly DemoUser[],
  username: string,
  password: string,
): DemoUser | undefined {
  const user = users.find((u) => u.username === username);
  if (!user || user.enabled === false) return undefined;
  const a = Buffer.from(user.password);
  const b = Buffer.from(password);
  return a.length === b.length && timingSafeEqual(a, b) ? user : undefined;
}
