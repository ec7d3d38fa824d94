import { z } from "zod";
import type { Database } from "../db/database";
import { InvalidInputError, NotFoundError } from "../errors";
import { isUuid } from "../input/cursor";
import { parseInput } from "../input/parse-input";

/** A named set of documents, and who may read it. */
export interface Collection {
  readonly id: string;
  readonly name: string;
  /** Cognito groups whose members may read it. */
  readonly readGroups: string[];
  /** Everyone signed in may read it: an explicit grant, never a default. */
  readonly everyone: boolean;
  readonly documentCount: number;
}

/** Who may read a collection. */
export interface CollectionGrants {
  readonly readGroups?: readonly string[];
  /** @default false */
  readonly everyone?: boolean;
}

const name = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "at most 100 characters");
/** Cognito group names: 1 to 128 visible characters, no spaces; at most 100. */
export const groupNames = z
  .array(
    z
      .string()
      .regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u, "must be a group name"),
  )
  .max(100, "at most 100 groups");

/** A new collection (`POST /admin/collections`): nobody reads it unless granted. */
export const newCollectionRequest = z
  .object({
    name,
    readGroups: groupNames.default([]),
    everyone: z.boolean().default(false),
  })
  .strict();
export type NewCollection = z.output<typeof newCollectionRequest>;

/** Changes to a collection (`PATCH /admin/collections/{id}`): a new name, new grants, or both. */
export const collectionChangesRequest = z
  .object({
    name: name.optional(),
    readGroups: groupNames.optional(),
    everyone: z.boolean().optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, {
    message: "give at least one of name, readGroups, everyone",
  });
export type CollectionChanges = z.output<typeof collectionChangesRequest>;

/**
 * The collections a member of `groups` may read: those granted to everyone, and those granted to
 * one of the groups. The one place retrieval's scope comes from; read at each question, so a grant
 * removed, or a group left, counts from the next one.
 */
export async function readableCollections(
  db: Database,
  groups: readonly string[],
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM collections WHERE everyone OR read_groups && $1::text[] ORDER BY id",
    [[...groups]],
  );
  return rows.map((r) => r.id);
}

/** Every collection, with its grants and how many documents it holds, by name. */
export async function listCollections(db: Database): Promise<Collection[]> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    read_groups: string[];
    everyone: boolean;
    document_count: number;
  }>(
    `SELECT c.id, c.name, c.read_groups, c.everyone,
            (SELECT count(*)::int FROM documents d WHERE d.collection_id = c.id) AS document_count
     FROM collections c ORDER BY c.name`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    readGroups: r.read_groups,
    everyone: r.everyone,
    documentCount: r.document_count,
  }));
}

/** One collection, or undefined. */
export async function collectionById(
  db: Database,
  id: string,
): Promise<Collection | undefined> {
  return (await listCollections(db)).find((c) => c.id === id);
}

/** Creates a collection, or sets the grants of the one of that name as given (the demo, the benchmarks). */
export async function ensureCollection(
  db: Database,
  collectionName: string,
  grants: CollectionGrants = {},
): Promise<Collection> {
  const input = parseInput(newCollectionRequest, {
    name: collectionName,
    ...grants,
  });
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO collections (name, read_groups, everyone) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET read_groups = EXCLUDED.read_groups, everyone = EXCLUDED.everyone, updated_at = now()
     RETURNING id`,
    [input.name, [...new Set(input.readGroups)], input.everyone],
  );
  return (await collectionById(db, rows[0].id))!;
}

/** Whether `id` is a collection's (false for anything that is not a UUID). */
export async function collectionExists(
  db: Database,
  id: string,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { rows } = await db.query("SELECT 1 FROM collections WHERE id = $1", [
    id,
  ]);
  return rows.length > 0;
}

/** The 400 for a `collectionId` that names no collection. */
export const noSuchCollection = () =>
  new InvalidInputError("There is no such collection.", [
    { path: "collectionId", message: "is not a collection" },
  ]);

/** Moves a document, all its chunks with it (one statement, one transaction). */
export async function moveDocument(
  db: Database,
  documentId: string,
  collectionId: string,
): Promise<void> {
  const { rows } = await db.query(
    "UPDATE documents SET collection_id = $2, updated_at = now() WHERE id = $1 RETURNING id",
    [documentId, collectionId],
  );
  if (!rows.length) throw new NotFoundError("No such document.");
}
