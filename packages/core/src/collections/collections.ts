import type { Database } from "../db/database";
import { InvalidInputError, NotFoundError } from "../errors";

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

const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

function checkedGrants(grants: CollectionGrants): {
  readGroups: string[];
  everyone: boolean;
} {
  const readGroups = [...new Set(grants.readGroups ?? [])];
  const bad = readGroups.find((g) => !GROUP_NAME.test(g));
  if (bad !== undefined)
    throw new InvalidInputError(`'${bad}' is not a group name.`, [
      {
        path: "readGroups",
        message: "Cognito group names: 1 to 128 characters, no spaces",
      },
    ]);
  return { readGroups, everyone: grants.everyone ?? false };
}

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

/** Creates a collection, or returns the one of that name with its grants set as given. */
export async function ensureCollection(
  db: Database,
  name: string,
  grants: CollectionGrants = {},
): Promise<Collection> {
  const { readGroups, everyone } = checkedGrants(grants);
  if (!name.trim() || name.length > 100)
    throw new InvalidInputError("The collection needs a name.", [
      { path: "name", message: "1 to 100 characters" },
    ]);
  await db.query(
    `INSERT INTO collections (name, read_groups, everyone) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET read_groups = EXCLUDED.read_groups, everyone = EXCLUDED.everyone, updated_at = now()`,
    [name.trim(), readGroups, everyone],
  );
  const collection = (await listCollections(db)).find(
    (c) => c.name === name.trim(),
  );
  if (!collection) throw new NotFoundError(`No collection '${name}'.`);
  return collection;
}

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
