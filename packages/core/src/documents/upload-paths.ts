// Where uploads land; no validation here, so what only ingests bundles none.

const COLLECTION_IN_KEY =
  /^(?:uploads|bulk)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i;

/**
 * Where an upload lands under its target's root: `<collection id>/<file name>`. The collection
 * travels in the path itself (on AWS the object key, `uploads/<collection>/…` or
 * `bulk/<collection>/…`), so ingestion needs no lookup to put the document where it was meant to go.
 */
export const uploadPath = (request: {
  readonly collectionId: string;
  readonly filename: string;
}): string => `${request.collectionId}/${request.filename}`;

/** The collection an uploaded or bulk-loaded object's key names (`uploads/<id>/…`, `bulk/<id>/…`); none for other keys. */
export function collectionOfKey(key: string): string | undefined {
  return COLLECTION_IN_KEY.exec(key)?.[1]?.toLowerCase();
}
