import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  GetDocumentTextDetectionCommand,
  type TextractClient,
} from "@aws-sdk/client-textract";
import type { ChunkOptions } from "./chunk";
import {
  embedChunks,
  markPending,
  prepareDocument,
  readyHash,
  recordFailure,
  sha256,
  writeDocument,
  type PreparedDocument,
} from "./pipeline";
import { isSupportedFile, SUPPORTED_EXTENSIONS } from "./supported-extensions";
import type { Database } from "../db/database";
import { refreshLexemeStatsIfDrifted } from "../db/migrations";
import { collectionOfKey } from "../documents/upload-paths";
import type { Embedder } from "../embeddings/embedder";
import {
  sourceDocumentName,
  sourceOfObject,
} from "../sources/document-sources";

// The Lambda steps of the ingestion state machine (infra/src/constructs/ingestion.ts), around the
// same pipeline code `sextant ingest` runs in-process. Steps pass each other a small state (the
// Step Functions payload limit is 256 KB); chunks and vectors go through the bucket's `staging/`
// prefix, keyed by source and content hash, so a retried step overwrites its own output.

/** An uploaded object, as the EventBridge rule or the Distributed Map hands it over. */
export interface DocumentRef {
  readonly bucket: string;
  readonly key: string;
  /** Part of a bulk run: ranking statistics are refreshed once at its end, not per document. */
  readonly bulk?: boolean;
}

/** What flows from step to step. */
export interface StepState extends DocumentRef {
  readonly source: string;
  readonly contentHash: string;
  /** Nothing to do: the ready version already has these bytes, or the object is not a document. */
  readonly unchanged: boolean;
  /** Why an object was passed over (a folder marker or an unsupported type in a bulk prefix). */
  readonly skipped?: string;
  readonly chunks?: number;
  readonly embeddingModel?: string;
  /** It has scanned pages no text layer covers: the state machine has Textract read it, then prepares it again. */
  readonly needsOcr?: boolean;
  /** The Textract text-detection job that read its scanned pages (set by the state machine). */
  readonly ocr?: { readonly jobId: string };
  /** The collection of the source the object belongs to, when it is a registered source's. */
  readonly collectionId?: string;
}

/** The outcome of one document, for the metrics. */
export interface WriteResult {
  readonly source: string;
  readonly outcome: "added" | "updated";
  readonly chunks: number;
}

/** A step's failure as Step Functions catches it (`Cause` is the Lambda's error as JSON). */
export interface FailedState extends Partial<StepState> {
  readonly bucket: string;
  readonly key: string;
  readonly error: { readonly Error?: string; readonly Cause?: string };
}

/** What the steps need; each Lambda builds it once per container. */
export interface StepDependencies {
  readonly db: Database;
  readonly s3: S3Client;
  /** The embedder of the current inference configuration. */
  readonly embedder: () => Promise<Embedder>;
  readonly chunking?: ChunkOptions;
  /** Texts per embedding call. @default 64 */
  readonly batchSize?: number;
  /** Amazon Textract, for the text of scanned pages (created on first use). */
  readonly textract: () => TextractClient;
  /**
   * The upload bucket, which holds `staging/`. An object of any other bucket belongs to a
   * registered source. @default - the object's own bucket
   */
  readonly uploadBucket?: string;
}

/** What a document goes by on AWS: its key in the upload bucket (`uploads/<collection>/report.docx`). */
export const sourceOf = (ref: DocumentRef): string => ref.key;
/** Where its bytes are: never in an API response. */
const originOf = (ref: DocumentRef): string => `s3://${ref.bucket}/${ref.key}`;
const stagingKey = (state: StepState, kind: "chunks.json" | "vectors.f32") =>
  `staging/${sha256(state.source)}/${state.contentHash}.${kind}`;

async function getObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ bytes: Uint8Array; etag?: string }> {
  const response = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
  );
  return {
    bytes: await response.Body!.transformToByteArray(),
    ...(response.ETag ? { etag: response.ETag } : {}),
  };
}

const getBytes = async (s3: S3Client, bucket: string, key: string) =>
  (await getObject(s3, bucket, key)).bytes;

/** The object's bytes. Keys in S3 notifications may arrive URL-encoded ("a+b.pdf" for "a b.pdf"): tried as given first. */
async function getDocument(s3: S3Client, ref: DocumentRef) {
  try {
    return { key: ref.key, ...(await getObject(s3, ref.bucket, ref.key)) };
  } catch (e) {
    const decoded = decodeURIComponent(ref.key.replace(/\+/g, " "));
    if (!(e instanceof NoSuchKey) || decoded === ref.key) throw e;
    return { key: decoded, ...(await getObject(s3, ref.bucket, decoded)) };
  }
}

/** Step 1: hash the object; unless that version is ready, extract and chunk it into staging, and show it as pending. */
export async function prepareStep(
  deps: StepDependencies,
  ref: DocumentRef & Pick<StepState, "ocr">,
): Promise<StepState> {
  if (!isSupportedFile(ref.key)) {
    return {
      ...ref,
      source: sourceOf(ref),
      contentHash: "",
      unchanged: true,
      skipped: `not a supported document (${SUPPORTED_EXTENSIONS.join(", ")})`,
    };
  }
  const { key, bytes, etag } = await getDocument(deps.s3, ref);
  // An object of another bucket than the upload bucket is a registered source's: named under the
  // source, into its collection.
  const registered =
    ref.bucket !== (deps.uploadBucket ?? ref.bucket)
      ? await sourceOfObject(deps.db, ref.bucket, key)
      : undefined;
  if (ref.bucket !== (deps.uploadBucket ?? ref.bucket) && !registered)
    return {
      ...ref,
      key,
      source: `s3://${ref.bucket}/${key}`,
      contentHash: "",
      unchanged: true,
      skipped: "not under a registered source's prefix",
    };
  const source = registered
    ? sourceDocumentName(registered, key)
    : sourceOf({ ...ref, key });
  const contentHash = sha256(bytes);
  const base = {
    bucket: ref.bucket,
    key,
    bulk: ref.bulk,
    source,
    contentHash,
    ...(registered ? { collectionId: registered.collectionId } : {}),
  };
  if ((await readyHash(deps.db, source)) === contentHash)
    return { ...base, unchanged: true };
  const origin = originOf({ ...ref, key });
  await markPending(deps.db, { source, origin }, contentHash);
  const ocrText = ref.ocr
    ? await textractPages(deps.textract(), ref.ocr.jobId)
    : undefined;
  const doc = await prepareDocument(
    { source, origin, bytes, ...(etag ? { etag } : {}) },
    { chunking: deps.chunking, ocrText, allowUnread: !ocrText },
  );
  // Scans first go to Textract (asynchronous text detection, a state of the state machine):
  // nothing is staged until their text is here.
  if (!ocrText && doc.unreadPages > 0)
    return { ...base, unchanged: false, needsOcr: true };
  const state = { ...base, unchanged: false, chunks: doc.chunks.length };
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.uploadBucket ?? ref.bucket,
      Key: stagingKey(state, "chunks.json"),
      Body: JSON.stringify({
        title: doc.title,
        chunks: doc.chunks,
        file: doc.file,
      }),
      ContentType: "application/json",
    }),
  );
  return state;
}

async function stagedDocument(
  deps: StepDependencies,
  state: StepState,
): Promise<PreparedDocument> {
  const staged = JSON.parse(
    Buffer.from(
      await getBytes(
        deps.s3,
        deps.uploadBucket ?? state.bucket,
        stagingKey(state, "chunks.json"),
      ),
    ).toString("utf8"),
  ) as Pick<PreparedDocument, "title" | "chunks" | "file">;
  return {
    source: state.source,
    contentHash: state.contentHash,
    unreadPages: 0,
    ...staged,
  };
}

/**
 * Step 2: embed the staged chunks in batches. A throttled model fails the step with
 * `ModelUnavailableError` after the provider's own short retries; the state machine retries the
 * step with exponential backoff and jitter, so waiting costs no Lambda time.
 */
export async function embedStep(
  deps: StepDependencies,
  state: StepState,
): Promise<StepState> {
  const doc = await stagedDocument(deps, state);
  const embedder = await deps.embedder();
  const vectors = await embedChunks(embedder, doc, deps.batchSize);
  const packed = new Float32Array(vectors.length * embedder.dimensions);
  vectors.forEach((v, i) => packed.set(v, i * embedder.dimensions));
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.uploadBucket ?? state.bucket,
      Key: stagingKey(state, "vectors.f32"),
      Body: new Uint8Array(packed.buffer),
      ContentType: "application/octet-stream",
    }),
  );
  return { ...state, embeddingModel: embedder.modelId };
}

/** Step 3: write the document and its chunks in one transaction, replacing its old chunks. */
export async function writeStep(
  deps: StepDependencies,
  state: StepState,
): Promise<WriteResult> {
  const doc = await stagedDocument(deps, state);
  const bytes = await getBytes(
    deps.s3,
    deps.uploadBucket ?? state.bucket,
    stagingKey(state, "vectors.f32"),
  );
  const flat = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  const dimensions = doc.chunks.length ? flat.length / doc.chunks.length : 0;
  const vectors = doc.chunks.map((_, i) =>
    Array.from(flat.subarray(i * dimensions, (i + 1) * dimensions)),
  );
  // The collection the key names (`uploads/<collection>/…`); a document under another key stays
  // where it is, a new one goes to General.
  const collectionId = state.collectionId ?? collectionOfKey(state.key);
  if (collectionId) {
    const { rows } = await deps.db.query(
      "SELECT 1 FROM collections WHERE id = $1",
      [collectionId],
    );
    if (!rows.length)
      throw new Error(
        `The key names collection ${collectionId}, which does not exist: upload to uploads/<collection id>/<file> of an existing collection.`,
      );
  }
  const outcome = await writeDocument(
    deps.db,
    doc,
    vectors,
    state.embeddingModel ?? "unknown",
    collectionId,
  );
  if (!state.bulk) await refreshLexemeStatsIfDrifted(deps.db);
  return { source: state.source, outcome, chunks: doc.chunks.length };
}

/** The Lambda error's own message from a caught step's `Cause`, without its stack trace. */
export function failureMessage(error: FailedState["error"]): string {
  try {
    const cause = JSON.parse(error.Cause ?? "") as { errorMessage?: string };
    if (cause.errorMessage) return cause.errorMessage;
  } catch {
    // Not a Lambda error: Step Functions' own (a timeout, say) has a plain-text cause.
  }
  return [error.Error, error.Cause].filter(Boolean).join(": ") || "failed";
}

/** The catch-all step: the reason goes to the documents API (the message then goes to the dead-letter queue). */
export async function failStep(
  deps: Pick<StepDependencies, "db">,
  state: FailedState,
): Promise<{ source: string; error: string }> {
  const source = state.source ?? sourceOf(state);
  const error = failureMessage(state.error);
  await recordFailure(
    deps.db,
    { source, origin: originOf(state) },
    state.contentHash ?? "",
    error,
  );
  return { source, error };
}

/**
 * The text Textract detected, by page: every page of the job's results (`GetDocumentTextDetection`,
 * followed through `NextToken`), its LINE blocks in reading order. A job that did not succeed
 * fails the step, naming its status and message.
 * (https://docs.aws.amazon.com/textract/latest/dg/api-async.html)
 */
export async function textractPages(
  textract: TextractClient,
  jobId: string,
): Promise<Map<number, string>> {
  const lines = new Map<number, string[]>();
  let nextToken: string | undefined;
  do {
    const page = await textract.send(
      new GetDocumentTextDetectionCommand({
        JobId: jobId,
        MaxResults: 1000,
        NextToken: nextToken,
      }),
    );
    // PARTIAL_SUCCESS: some pages were read; the rest stay unread, as without OCR.
    if (page.JobStatus !== "SUCCEEDED" && page.JobStatus !== "PARTIAL_SUCCESS")
      throw new Error(
        `Text detection ${jobId} ended ${page.JobStatus ?? "without a status"}${page.StatusMessage ? `: ${page.StatusMessage}` : ""}.`,
      );
    for (const block of page.Blocks ?? []) {
      if (block.BlockType !== "LINE" || !block.Text) continue;
      const n = block.Page ?? 1;
      if (!lines.has(n)) lines.set(n, []);
      lines.get(n)!.push(block.Text);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return new Map([...lines].map(([n, text]) => [n, text.join("\n")]));
}
