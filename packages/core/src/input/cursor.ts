import { InvalidInputError } from "../errors";

/** An opaque page cursor for a keyset position. */
export const encodeCursor = (position: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(position)).toString("base64url");

/** What one field of a keyset position holds, as the list's SQL casts it. */
export type CursorField = "integer" | "text" | "timestamp" | "uuid";

const FIELD_CHECKS: Record<CursorField, (v: unknown) => boolean> = {
  integer: (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0,
  text: (v) => typeof v === "string",
  // As Postgres prints a timestamptz (`2026-11-30 04:21:09.123456+00`), or ISO 8601.
  timestamp: (v) =>
    typeof v === "string" &&
    /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/.test(
      v,
    ) &&
    !Number.isNaN(
      Date.parse(v.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00")),
    ),
  uuid: (v) => typeof v === "string" && isUuid(v),
};

/**
 * The keyset position of a cursor made by {@link encodeCursor}, each field of the kind the list's
 * SQL casts it to; 400 naming `cursor` otherwise, so a well-formed cursor with wrong field types
 * never reaches the database as a cast error (500).
 */
export function decodeCursor(
  cursor: string,
  fields: readonly CursorField[],
): (string | number)[] {
  try {
    const position: unknown = JSON.parse(
      Buffer.from(cursor, "base64url").toString("utf8"),
    );
    if (
      Array.isArray(position) &&
      position.length === fields.length &&
      position.every((p, i) => FIELD_CHECKS[fields[i]](p))
    ) {
      return position as (string | number)[];
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidInputError("The page cursor is invalid.", [
    {
      path: "cursor",
      message: "is not a cursor this list returned; start without one",
    },
  ]);
}

/** One page of a list, and the cursor of the next page when there is one. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

/** Splits `limit + 1` fetched rows into a page and the cursor after its last item. */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
  positionOf: (row: R) => readonly (string | number)[],
): Page<T> {
  const items = rows.slice(0, limit);
  return {
    items: items.map(map),
    ...(rows.length > limit
      ? { nextCursor: encodeCursor(positionOf(items[items.length - 1])) }
      : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an id from a URL can be one of ours (anything else is simply not found). */
export const isUuid = (id: string): boolean => UUID.test(id);
