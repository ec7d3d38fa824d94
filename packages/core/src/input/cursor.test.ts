import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";
import { listAuditLog } from "../audit/audit-log";
import { listSessions } from "../chat/sessions";
import { openDatabase } from "../db/open-database";
import { InvalidInputError } from "../errors";

describe("decodeCursor", () => {
  it("returns the position of a cursor the list made", () => {
    const position = [
      "2026-11-30 04:21:09.123456+00",
      "0b6f2a4e-8d4c-4f59-9a57-1f0e4a7c2b11",
    ];
    expect(decodeCursor(encodeCursor(position), ["timestamp", "uuid"])).toEqual(
      position,
    );
    expect(decodeCursor(encodeCursor([42]), ["integer"])).toEqual([42]);
  });

  it("refuses a well-formed cursor whose fields have the wrong types, naming the cursor", () => {
    for (const [position, fields] of [
      [["abc"], ["integer"]],
      [[1.5], ["integer"]],
      [[-1], ["integer"]],
      [[7], ["text"]],
      [
        ["yesterday", "0b6f2a4e-8d4c-4f59-9a57-1f0e4a7c2b11"],
        ["timestamp", "uuid"],
      ],
      [
        ["2026-11-30 04:21:09+00", "not-a-uuid"],
        ["timestamp", "uuid"],
      ],
      [[{ a: 1 }], ["text"]],
    ] as const) {
      expect(
        () => decodeCursor(encodeCursor(position as never), fields),
        JSON.stringify(position),
      ).toThrow(InvalidInputError);
    }
  });

  it("answers a typed error, not a database cast error, from the lists themselves (real Postgres)", async () => {
    const store = await openDatabase(undefined, "");
    try {
      const badSessions = encodeCursor(["not a time", "not a uuid"]);
      await expect(
        listSessions(store.db, "alice", { limit: 10, cursor: badSessions }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(
        listAuditLog(store.db, { limit: 10, cursor: encodeCursor(["x"]) }),
      ).rejects.toBeInstanceOf(InvalidInputError);
    } finally {
      await store.close();
    }
  });
});
