import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import {
  listSources,
  planS3Sync,
  recordSync,
  removeSourceDocuments,
  sourceDocumentName,
  sourceOfObject,
  type ListedObject,
  type SyncSummary,
} from "./document-sources";
import type { Database } from "../db/database";
import { isSupportedFile } from "../ingest/supported-extensions";

/** What syncing S3 sources needs: the store, S3, and a way to start one object's ingestion (the state machine). */
export interface S3SyncDependencies {
  readonly db: Database;
  readonly s3: S3Client;
  readonly startIngestion: (object: {
    bucket: string;
    key: string;
  }) => Promise<void>;
}

/** Every document object under a source's prefix (ListObjectsV2, page by page; folder markers and unsupported types left out). */
async function listSource(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? [])
      if (o.Key && o.ETag && isSupportedFile(o.Key))
        objects.push({ key: o.Key, etag: o.ETag });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/**
 * The scheduled sync of every S3 source: each new or changed object (by ETag) starts its
 * ingestion, each document whose object is gone is removed, and the outcome is recorded on the
 * source. Objects whose ETag is unchanged cost a listing line, nothing more.
 */
export async function syncS3Sources(
  deps: S3SyncDependencies,
): Promise<Record<string, SyncSummary>> {
  const outcomes: Record<string, SyncSummary> = {};
  for (const source of await listSources(deps.db, "s3")) {
    const listing = await listSource(
      deps.s3,
      source.bucket!,
      source.prefix ?? "",
    );
    const plan = await planS3Sync(
      deps.db,
      { name: source.name, prefix: source.prefix ?? "" },
      listing,
    );
    for (const object of plan.ingest)
      await deps.startIngestion({ bucket: source.bucket!, key: object.key });
    const removed = await removeSourceDocuments(
      deps.db,
      source.name,
      plan.remove,
    );
    const summary = {
      started: plan.ingest.length,
      unchanged: plan.unchanged,
      removed,
    };
    await recordSync(deps.db, source.id, summary);
    outcomes[source.name] = summary;
  }
  return outcomes;
}

/** One S3 event from EventBridge ("Object Created" or "Object Deleted"), as the rule delivers it. */
export interface S3ObjectEvent {
  readonly "detail-type": "Object Created" | "Object Deleted";
  readonly detail: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string };
  };
}

/**
 * A source's object changed: a created one starts its ingestion, a deleted one's document is
 * removed. Objects outside every registered prefix are ignored.
 */
export async function onSourceObjectEvent(
  deps: S3SyncDependencies,
  event: S3ObjectEvent,
): Promise<"started" | "removed" | "ignored"> {
  const bucket = event.detail.bucket.name;
  const key = event.detail.object.key;
  const source = await sourceOfObject(deps.db, bucket, key);
  if (!source || !isSupportedFile(key)) return "ignored";
  if (event["detail-type"] === "Object Created") {
    await deps.startIngestion({ bucket, key });
    return "started";
  }
  const { rows } = await deps.db.query<{ id: string; source: string }>(
    "SELECT id, source FROM documents WHERE source = $1",
    [sourceDocumentName(source, key)],
  );
  await removeSourceDocuments(deps.db, source.name, rows);
  return rows.length ? "removed" : "ignored";
}
