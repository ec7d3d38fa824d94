import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCollection,
  deleteCollection,
  updateCollection,
} from "./administer-collections";
import { collectionChangesRequest, newCollectionRequest } from "./collections";
import { listAuditLog } from "../audit/audit-log";
import { GENERAL_COLLECTION_ID } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { InvalidInputError, NotFoundError } from "../errors";
import type { Caller } from "../identity/caller";
import { parseInput } from "../input/parse-input";

const ada: Caller = {
  id: "sub-ada",
  username: "ada",
  groups: ["Administrators"],
  isAdministrator: true,
};
let store: OpenDatabase;

beforeAll(async () => {
  store = await openDatabase(undefined, "");
});
afterAll(() => store?.close());

const create = (body: unknown) =>
  createCollection(store.db, ada, parseInput(newCollectionRequest, body));

describe("administering collections (embedded Postgres)", () => {
  it("creates one readable by nobody unless granted, and refuses a name taken (400 naming the field)", async () => {
    const hr = await create({ name: "HR policies" });
    expect(hr).toMatchObject({
      name: "HR policies",
      readGroups: [],
      everyone: false,
      documentCount: 0,
    });
    await expect(create({ name: "HR policies" })).rejects.toMatchObject({
      fields: [{ path: "name", message: "is taken" }],
    });
  });

  it("refuses unknown fields, empty names and group names with spaces", () => {
    for (const body of [
      { name: "x", owner: "me" },
      { name: "  " },
      { name: "x", readGroups: ["two words"] },
    ])
      expect(() => parseInput(newCollectionRequest, body)).toThrow(
        InvalidInputError,
      );
    expect(() => parseInput(collectionChangesRequest, {})).toThrow(
      InvalidInputError,
    );
  });

  it("changes grants and name, and audits each changed field with what it was", async () => {
    const c = await create({ name: "Engineering", readGroups: ["Eng"] });
    const changed = await updateCollection(store.db, ada, c.id, {
      readGroups: ["Eng", "SRE"],
      name: "Engineering handbook",
    });
    expect(changed).toMatchObject({
      name: "Engineering handbook",
      readGroups: ["Eng", "SRE"],
      everyone: false,
    });
    const [entry] = (await listAuditLog(store.db, { limit: 1 })).items;
    expect(entry).toMatchObject({
      actor: "ada",
      action: "collection.update",
      target: c.id,
      detail: {
        name: { from: "Engineering", to: "Engineering handbook" },
        readGroups: { from: ["Eng"], to: ["Eng", "SRE"] },
      },
    });
    expect(entry.detail).not.toHaveProperty("everyone");
  });

  it("deletes an empty collection; refuses one holding documents, and General; 404 for none", async () => {
    const empty = await create({ name: "Empty" });
    await deleteCollection(store.db, ada, empty.id);
    const full = await create({ name: "Full" });
    await store.db.query(
      "INSERT INTO documents (source, title, content_hash, collection_id) VALUES ('f.txt', 'f', 'h', $1)",
      [full.id],
    );
    await expect(deleteCollection(store.db, ada, full.id)).rejects.toThrow(
      /holds 1 documents/,
    );
    await expect(
      deleteCollection(store.db, ada, GENERAL_COLLECTION_ID),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      deleteCollection(store.db, ada, empty.id),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      updateCollection(store.db, ada, "not-a-uuid", { everyone: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
