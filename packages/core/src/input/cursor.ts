import { InvalidInputError } from "../errors";

/** An opaque page cursor for a keyset position. */
export const encodeCursor = (position: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(position)).toString("base64url");

/** The keyset position of a cursor made by {@link encodeCursor}; 400 naming `cursor` otherwise. */
export function decodeCursor(
  cursor: string,
  arity: number,
): (string | number)[] {
  try {
    const position = JSON.parse(
      Buffer.from(cursor, "base64url").toString("utf8"),
    );
    if (
      Array.isArray(position) &&
      position.length === arity &&
      position.every((p) => typeof p === "string" || typeof p === "number")
    ) {
      return position;
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
