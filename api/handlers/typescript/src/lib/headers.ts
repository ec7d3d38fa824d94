import { InvalidInputError } from "@sextant/core";

/** A header's value whatever its case (API Gateway passes them as sent; Node lowercases them). */
export function headerIn(
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers ?? {}).find(
    ([k]) => k.toLowerCase() === wanted,
  )?.[1];
}

/** The `ETag` of a version of a configuration or an assistant (a strong validator: versions never change). */
export const etagOf = (version: number): string => `"${version}"`;

/** A configuration version as the answer: 200, the version, and its `ETag`. */
export const versionResponse = <V extends { version: number }>(saved: V) => ({
  statusCode: 200 as const,
  body: saved as any,
  headers: { ETag: etagOf(saved.version) },
});

/** The version an `If-Match` header names; 400 naming `If-Match` when it names none. */
export function parseIfMatch(header: string | undefined): number {
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header ?? "");
  if (!match) {
    throw new InvalidInputError(
      "Updates need the current version in If-Match: read it from the ETag of the GET of what you update.",
      [
        {
          path: "If-Match",
          message: header ? "is not a version ETag" : "is required",
        },
      ],
    );
  }
  return Number(match[1]);
}

/** The `Idempotency-Key` header of `POST …/messages`: 1 to 200 visible ASCII characters (a UUID, say), or none. */
export function idempotencyKeyOf(
  header: string | undefined,
): string | undefined {
  if (header === undefined || /^[\x21-\x7E]{1,200}$/.test(header))
    return header;
  const message = "must be 1 to 200 visible ASCII characters";
  throw new InvalidInputError(`Invalid request: Idempotency-Key ${message}.`, [
    { path: "Idempotency-Key", message },
  ]);
}
