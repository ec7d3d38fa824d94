import {
  collectionById,
  listCollections,
  type Collection,
  type CollectionChanges,
  type CollectionGrants,
  type NewCollection,
} from "./collections";
import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import { GENERAL_COLLECTION_ID } from "../db/migrations";
import { InvalidInputError, NotFoundError } from "../errors";
import type { Caller } from "../identity/caller";

const nameTaken = (taken: string) =>
  new InvalidInputError(`A collection named '${taken}' exists already.`, [
    { path: "name", message: "is taken" },
  ]);

/** Creates a collection, audited. Its grants are exactly those given: none by default. */
export async function createCollection(
  db: Database,
  actor: Caller,
  input: NewCollection,
): Promise<Collection> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO collections (name, read_groups, everyone) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO NOTHING RETURNING id`,
      [input.name, [...new Set(input.readGroups)], input.everyone],
    );
    if (!rows.length) throw nameTaken(input.name);
    await recordAudit(tx, {
      actor: actor.username,
      action: "collection.create",
      target: rows[0].id,
      detail: {
        name: input.name,
        readGroups: input.readGroups,
        everyone: input.everyone,
      },
    });
    return (await collectionById(tx, rows[0].id))!;
  });
}

/**
 * Renames a collection or changes who reads it, audited field by field (`{ field: { from, to } }`).
 * A grant removed counts from the next question of everyone it concerned.
 */
export async function updateCollection(
  db: Database,
  actor: Caller,
  id: string,
  changes: CollectionChanges,
): Promise<Collection> {
  return db.transaction(async (tx) => {
    const before = await collectionById(tx, id);
    if (!before) throw new NotFoundError("There is no such collection.");
    const after: CollectionGrants & { name: string } = {
      name: changes.name ?? before.name,
      readGroups: changes.readGroups
        ? [...new Set(changes.readGroups)]
        : before.readGroups,
      everyone: changes.everyone ?? before.everyone,
    };
    if (
      after.name !== before.name &&
      (await listCollections(tx)).some((c) => c.name === after.name)
    )
      throw nameTaken(after.name);
    await tx.query(
      "UPDATE collections SET name = $2, read_groups = $3, everyone = $4, updated_at = now() WHERE id = $1",
      [id, after.name, after.readGroups, after.everyone],
    );
    const detail = Object.fromEntries(
      (["name", "readGroups", "everyone"] as const)
        .filter(
          (field) =>
            JSON.stringify(before[field]) !== JSON.stringify(after[field]),
        )
        .map((field) => [field, { from: before[field], to: after[field] }]),
    );
    await recordAudit(tx, {
      actor: actor.username,
      action: "collection.update",
      target: id,
      detail,
    });
    return (await collectionById(tx, id))!;
  });
}

/**
 * Deletes an empty collection, audited. One that still holds documents is refused (move or
 * delete them first), and so is "General", where documents go when no collection is named.
 */
export async function deleteCollection(
  db: Database,
  actor: Caller,
  id: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const collection = await collectionById(tx, id);
    if (!collection) throw new NotFoundError("There is no such collection.");
    if (id === GENERAL_COLLECTION_ID)
      throw new InvalidInputError(
        "'General' holds the documents no collection was named for: it cannot be deleted.",
        [{ path: "collectionId", message: "is the General collection" }],
      );
    if (collection.documentCount > 0)
      throw new InvalidInputError(
        `'${collection.name}' holds ${collection.documentCount} documents: move or delete them first.`,
        [{ path: "collectionId", message: "holds documents" }],
      );
    await tx.query("DELETE FROM collections WHERE id = $1", [id]);
    await recordAudit(tx, {
      actor: actor.username,
      action: "collection.delete",
      target: id,
      detail: { name: collection.name },
    });
  });
}
