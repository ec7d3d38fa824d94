import { z } from "zod";
import { recordAudit } from "../audit/audit-log";
import { collectionExists, noSuchCollection } from "../collections/collections";
import type { Database } from "../db/database";
import { refreshLexemeStats } from "../db/migrations";
import { InvalidInputError, NotFoundError } from "../errors";
import { isUuid } from "../input/cursor";

/**
 * Document sources (issue 25): an S3 bucket and prefix in the account, or a folder on this
 * machine, that a collection is kept equal to. Each object or file under it is a document named
 * `<source name>/<its path under the prefix>`; a sync ingests the new and the changed ones (the
 * unchanged are skipped by ETag on S3, by content hash in a folder) and removes the documents whose
 * object or file is gone.
 */
export interface DocumentSource {
  readonly id: string;
  readonly kind: "s3" | "folder";
  /** What its documents go by: `<name>/<path under the prefix>`. */
  readonly name: string;
  readonly bucket?: string;
  readonly prefix?: string;
  readonly collectionId: string;
  readonly collectionName: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  /** Documents of the source that are ready to search. */
  readonly documents: number;
  /** Documents of the source that failed, with why. */
  readonly failures: readonly { source: string; error: string }[];
  readonly lastSyncAt?: Date;
  readonly lastSync?: SyncSummary;
}

/** What one sync did. */
export interface SyncSummary {
  /** New or changed objects sent to ingestion (on AWS, ingested by the state machine after). */
  readonly started?: number;
  readonly added?: number;
  readonly updated?: number;
  readonly unchanged: number;
  /** Documents removed because their object or file is gone. */
  readonly removed: number;
  readonly failed?: number;
}

/** A source's name: it leads its documents' sources. */
const SOURCE_NAME = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    "must be 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit",
  );

/** An S3 source to register: a bucket this deployment may read (`sourceBuckets`), a prefix in it, and the collection it feeds. */
export const s3SourceRequest = z
  .object({
    name: SOURCE_NAME,
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
    prefix: z
      .string()
      .max(512, "must be at most 512 characters")
      .refine((p) => p === "" || (p.endsWith("/") && !p.startsWith("/")), {
        message: "must be empty or a folder: no leading '/', ending with '/'",
      })
      .default(""),
    collectionId: z.string().uuid("must be a collection id"),
  })
  .strict();
export type S3SourceRequest = z.output<typeof s3SourceRequest>;

interface SourceRow {
  id: string;
  kind: "s3" | "folder";
  name: string;
  location: string;
  prefix: string;
  collection_id: string;
  collection_name: string;
  created_by: string;
  created_at: Date;
  last_sync_at: Date | null;
  last_sync: SyncSummary | null;
  documents: number;
  failures: { source: string; error: string }[];
}

const SELECT = `SELECT s.id, s.kind, s.name, s.location, s.prefix, s.collection_id, c.name AS collection_name,
    s.created_by, s.created_at, s.last_sync_at, s.last_sync,
    (SELECT count(*)::int FROM documents d WHERE starts_with(d.source, s.name || '/') AND d.status = 'ready') AS documents,
    coalesce((SELECT jsonb_agg(jsonb_build_object('source', d.source, 'error', d.error) ORDER BY d.source)
       FROM documents d WHERE starts_with(d.source, s.name || '/') AND d.status = 'failed'), '[]') AS failures
  FROM document_sources s JOIN collections c ON c.id = s.collection_id`;

const toSource = (r: SourceRow): DocumentSource => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  ...(r.kind === "s3" ? { bucket: r.location, prefix: r.prefix } : {}),
  collectionId: r.collection_id,
  collectionName: r.collection_name,
  createdBy: r.created_by,
  createdAt: r.created_at,
  documents: r.documents,
  failures: r.failures,
  ...(r.last_sync_at ? { lastSyncAt: r.last_sync_at } : {}),
  ...(r.last_sync ? { lastSync: r.last_sync } : {}),
});

/** The sources of one kind, by name. A folder source's path is not in the answer: it is this machine's. */
export async function listSources(
  db: Database,
  kind: DocumentSource["kind"],
): Promise<DocumentSource[]> {
  const { rows } = await db.query<SourceRow>(
    `${SELECT} WHERE s.kind = $1 ORDER BY s.name`,
    [kind],
  );
  return rows.map(toSource);
}

/** A folder source with where it is (for the CLI's sync, never the API). */
export async function folderSources(
  db: Database,
): Promise<(DocumentSource & { readonly folder: string })[]> {
  const { rows } = await db.query<SourceRow>(
    `${SELECT} WHERE s.kind = 'folder' ORDER BY s.name`,
  );
  return rows.map((r) => ({ ...toSource(r), folder: r.location }));
}

const duplicateName = (name: string) =>
  new InvalidInputError(`There is already a source named ${name}.`, [
    { path: "name", message: "is already a source's name" },
  ]);

async function insertSource(
  db: Database,
  actor: string,
  source: {
    kind: DocumentSource["kind"];
    name: string;
    location: string;
    prefix: string;
    collectionId: string;
  },
): Promise<DocumentSource> {
  return db.transaction(async (tx) => {
    if (!(await collectionExists(tx, source.collectionId)))
      throw noSuchCollection();
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO document_sources (kind, name, location, prefix, collection_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [
        source.kind,
        source.name,
        source.location,
        source.prefix,
        source.collectionId,
        actor,
      ],
    );
    if (!rows[0]) throw duplicateName(source.name);
    await recordAudit(tx, {
      actor,
      action: "source.create",
      target: source.name,
      detail: {
        kind: source.kind,
        collectionId: source.collectionId,
        ...(source.kind === "s3"
          ? { bucket: source.location, prefix: source.prefix }
          : {}),
      },
    });
    const { rows: created } = await tx.query<SourceRow>(
      `${SELECT} WHERE s.id = $1`,
      [rows[0].id],
    );
    return toSource(created[0]);
  });
}

/**
 * Registers an S3 source, audited: 400 naming `bucket` when the deployment may not read it (its
 * `sourceBuckets` context key), `name` when taken, `collectionId` when there is no such collection.
 */
export async function createS3Source(
  db: Database,
  actor: string,
  request: S3SourceRequest,
  readableBuckets: readonly string[],
): Promise<DocumentSource> {
  if (!readableBuckets.includes(request.bucket))
    throw new InvalidInputError(
      `This deployment may not read bucket ${request.bucket}: add it to the sourceBuckets context key and deploy.`,
      [
        {
          path: "bucket",
          message: "is not one of the deployment's source buckets",
        },
      ],
    );
  return insertSource(db, actor, {
    kind: "s3",
    name: request.name,
    location: request.bucket,
    prefix: request.prefix,
    collectionId: request.collectionId,
  });
}

/** Registers a folder of this machine as a source (`sextant sources add`). */
export async function createFolderSource(
  db: Database,
  actor: string,
  request: { name: string; folder: string; collectionId: string },
): Promise<DocumentSource> {
  const name = SOURCE_NAME.safeParse(request.name);
  if (!name.success)
    throw new InvalidInputError(
      `Invalid source name: ${name.error.issues[0].message}.`,
      [{ path: "name", message: name.error.issues[0].message }],
    );
  return insertSource(db, actor, {
    kind: "folder",
    name: request.name,
    location: request.folder,
    prefix: "",
    collectionId: request.collectionId,
  });
}

/** Unregisters a source, audited; its documents stay, as documents of their collection. 404 when there is none. */
export async function deleteSource(
  db: Database,
  actor: string,
  id: string,
): Promise<void> {
  const notFound = new NotFoundError(`There is no source ${id}.`);
  if (!isUuid(id)) throw notFound;
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string }>(
      "DELETE FROM document_sources WHERE id = $1 RETURNING name",
      [id],
    );
    if (!rows[0]) throw notFound;
    await recordAudit(tx, {
      actor,
      action: "source.delete",
      target: rows[0].name,
    });
  });
}

/** The registered S3 source an object belongs to (the longest prefix that holds it), if any. */
export async function sourceOfObject(
  db: Database,
  bucket: string,
  key: string,
): Promise<
  { id: string; name: string; prefix: string; collectionId: string } | undefined
> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    prefix: string;
    collection_id: string;
  }>(
    `SELECT id, name, prefix, collection_id FROM document_sources
      WHERE kind = 's3' AND location = $1 AND starts_with($2, prefix)
      ORDER BY length(prefix) DESC LIMIT 1`,
    [bucket, key],
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      collectionId: r.collection_id,
    }
  );
}

/** The document an object or file of a source becomes: `<name>/<path under the prefix>`. */
export const sourceDocumentName = (
  source: { readonly name: string; readonly prefix: string },
  key: string,
): string => `${source.name}/${key.slice(source.prefix.length)}`;

/** One object of an S3 source as listed (ListObjectsV2): its key and ETag. */
export interface ListedObject {
  readonly key: string;
  readonly etag: string;
}

/**
 * What a sync of an S3 source must do, from its listing: the objects to ingest (new, or whose ETag
 * differs from the one their document was read from) and the documents whose object is gone.
 */
export async function planS3Sync(
  db: Database,
  source: { readonly name: string; readonly prefix: string },
  listing: readonly ListedObject[],
): Promise<{
  ingest: ListedObject[];
  remove: { id: string; source: string }[];
  unchanged: number;
}> {
  const { rows } = await db.query<{
    id: string;
    source: string;
    etag: string | null;
    status: string;
  }>(
    `SELECT id, source, metadata->>'etag' AS etag, status FROM documents WHERE starts_with(source, $1 || '/')`,
    [source.name],
  );
  const stored = new Map(rows.map((r) => [r.source, r]));
  const listed = new Set<string>();
  const ingest: ListedObject[] = [];
  let unchanged = 0;
  for (const object of listing) {
    const name = sourceDocumentName(source, object.key);
    listed.add(name);
    const doc = stored.get(name);
    if (doc?.status === "ready" && doc.etag === object.etag) unchanged += 1;
    else ingest.push(object);
  }
  return {
    ingest,
    remove: rows
      .filter((r) => !listed.has(r.source))
      .map((r) => ({ id: r.id, source: r.source })),
    unchanged,
  };
}

/** Removes documents whose object or file is gone from their source, audited each; ranking statistics follow. */
export async function removeSourceDocuments(
  db: Database,
  sourceName: string,
  documents: readonly { id: string; source: string }[],
): Promise<number> {
  if (!documents.length) return 0;
  await db.transaction(async (tx) => {
    for (const doc of documents) {
      const { rows } = await tx.query<{ chunk_count: number }>(
        "DELETE FROM documents WHERE id = $1 RETURNING chunk_count",
        [doc.id],
      );
      if (rows[0])
        await recordAudit(tx, {
          actor: `source:${sourceName}`,
          action: "document.delete",
          target: doc.source,
          detail: {
            documentId: doc.id,
            chunks: rows[0].chunk_count,
            reason: "removed from its source",
          },
        });
    }
  });
  await refreshLexemeStats(db);
  return documents.length;
}

/** Records a sync's outcome on its source. */
export async function recordSync(
  db: Database,
  sourceId: string,
  summary: SyncSummary,
): Promise<void> {
  await db.query(
    "UPDATE document_sources SET last_sync_at = now(), last_sync = $2 WHERE id = $1",
    [sourceId, JSON.stringify(summary)],
  );
}
