import { UnauthenticatedError } from "../errors";

/** The Cognito group whose members administer Sextant. */
export const ADMINISTRATORS_GROUP = "Administrators";

/** The verified caller of a request. */
export interface Caller {
  readonly id: string;
  readonly username: string;
  readonly email?: string;
  readonly groups: readonly string[];
  readonly isAdministrator: boolean;
}

/** Claims as they reach a handler: JWT claims, where API Gateway may have turned arrays into strings. */
export type Claims = Readonly<Record<string, unknown>>;

/**
 * Reads `cognito:groups` in each shape it arrives in: a JSON array (the token itself), a
 * comma-separated string or a bracketed space-separated string (API Gateway's flattening).
 */
export function parseGroupsClaim(value: unknown): string[] {
  if (Array.isArray(value))
    return value.filter(
      (g): g is string => typeof g === "string" && g.length > 0,
    );
  if (typeof value !== "string") return [];
  const trimmed = value.trim();
  const inner =
    trimmed.startsWith("[") && trimmed.endsWith("]")
      ? trimmed.slice(1, -1)
      : trimmed;
  return inner.split(/[\s,]+/).filter((g) => g.length > 0);
}

/** Builds the caller from verified token claims; throws {@link UnauthenticatedError} without a subject. */
export function callerFromClaims(claims: Claims | undefined): Caller {
  const sub = claims?.sub;
  if (typeof sub !== "string" || sub.length === 0) {
    throw new UnauthenticatedError(
      "No verified identity: send a valid access token as 'Authorization: Bearer <token>'.",
    );
  }
  const groups = parseGroupsClaim(claims?.["cognito:groups"]);
  const username = [claims?.username, claims?.["cognito:username"]].find(
    (v) => typeof v === "string",
  ) as string | undefined;
  const email = typeof claims?.email === "string" ? claims.email : undefined;
  return {
    id: sub,
    username: username ?? sub,
    ...(email ? { email } : {}),
    groups,
    isAdministrator: groups.includes(ADMINISTRATORS_GROUP),
  };
}
