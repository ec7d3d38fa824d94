import { PRICES } from "./prices";

/**
 * The capacity model of bulk ingestion (docs/ingestion.md): throughput, duration and cost of a
 * corpus, from assumptions that each name their source. Throughput is the lowest of three
 * ceilings: the Bedrock quota, the Lambda concurrency the Distributed Map allows, and Aurora's
 * write rate.
 */
export interface CapacityAssumptions {
  readonly documents: number;
  readonly pagesPerDocument: number;
  /** A dense page of text. */
  readonly wordsPerPage: number;
  /** New words per chunk: 1.8M words of the State of the Union made 12,904 chunks (180-word chunks, 40 overlapping). */
  readonly newWordsPerChunk: number;
  /** Tokens embedded per chunk: 180 words at about 1.3 tokens each, plus the title. */
  readonly tokensPerChunk: number;
  /** Bedrock quotas for the embedding model (Titan Text Embeddings V2: one chunk per request). */
  readonly bedrockTokensPerMinute: number;
  readonly bedrockRequestsPerMinute: number;
  /** Seconds a document spends in prepare, embed and write when nothing throttles. */
  readonly secondsPerDocument: number;
  /** Lambda GB-seconds per document: prepare 2 GB × 0.5 s, embed 0.5 GB × 1.5 s, write 0.5 GB × 0.5 s. */
  readonly lambdaGbSecondsPerDocument: number;
  /** Chunk rows Aurora writes per second per ACU, with the HNSW index maintained. */
  readonly chunksPerSecondPerAcu: number;
  /** Aurora's capacity while ingesting (the stage's maximum). */
  readonly auroraAcus: number;
  /** Aurora I/Os per chunk written (row, text index, HNSW neighbours). */
  readonly ioPerChunk: number;
  /** Bytes stored per chunk: text, tsvector, 384-dimension vector, HNSW links. */
  readonly bytesPerChunk: number;
}

/** What a run of the Distributed Map allows. */
export interface Concurrency {
  readonly label: string;
  readonly maxConcurrency: number;
  readonly itemsPerBatch: number;
  /** Quotas raised by request instead of the defaults. */
  readonly bedrockTokensPerMinute?: number;
  readonly bedrockRequestsPerMinute?: number;
}

export const DEFAULT_ASSUMPTIONS: CapacityAssumptions = {
  documents: 1_000_000,
  pagesPerDocument: 5,
  wordsPerPage: 500,
  newWordsPerChunk: 139,
  tokensPerChunk: 240,
  bedrockTokensPerMinute: 300_000,
  bedrockRequestsPerMinute: 2_000,
  secondsPerDocument: 3,
  lambdaGbSecondsPerDocument: 2,
  // Measured: 12,904 chunks in 106 s with the index kept up to date on one WebAssembly core
  // (PGlite), about 120 a second. An ACU is about a quarter of a vCPU (a db.r6g.large, 2 vCPUs,
  // is sized as 8 ACUs) and native Postgres is faster than WebAssembly: counted as 60 per ACU.
  chunksPerSecondPerAcu: 60,
  auroraAcus: 16,
  ioPerChunk: 25,
  bytesPerChunk: 6_000,
};

/** Chunks one document makes. */
const chunksPerDocument = (a: CapacityAssumptions): number =>
  Math.ceil((a.pagesPerDocument * a.wordsPerPage) / a.newWordsPerChunk);

export interface CapacityRow {
  readonly label: string;
  readonly inFlight: number;
  readonly docsPerMinute: { bedrock: number; lambda: number; aurora: number };
  /** Documents a minute: the lowest of the ceilings. */
  readonly throughput: number;
  readonly binding: "Bedrock quota" | "Lambda concurrency" | "Aurora writes";
  readonly hours: number;
  readonly costUsd: Record<string, number>;
}

/** Throughput, duration and cost of one bulk run under one concurrency setting. */
export function capacity(
  c: Concurrency,
  a: CapacityAssumptions = DEFAULT_ASSUMPTIONS,
): CapacityRow {
  const chunksPerDoc = chunksPerDocument(a);
  const tokensPerDoc = chunksPerDoc * a.tokensPerChunk;
  const tpm = c.bedrockTokensPerMinute ?? a.bedrockTokensPerMinute;
  const rpm = c.bedrockRequestsPerMinute ?? a.bedrockRequestsPerMinute;
  const inFlight = c.maxConcurrency * c.itemsPerBatch;
  const docsPerMinute = {
    bedrock: Math.min(tpm / tokensPerDoc, rpm / chunksPerDoc),
    lambda: (inFlight * 60) / a.secondsPerDocument,
    aurora: (a.chunksPerSecondPerAcu * a.auroraAcus * 60) / chunksPerDoc,
  };
  const rate = Math.min(...Object.values(docsPerMinute));
  const binding =
    rate === docsPerMinute.bedrock
      ? "Bedrock quota"
      : rate === docsPerMinute.lambda
        ? "Lambda concurrency"
        : "Aurora writes";
  const hours = a.documents / rate / 60;
  const chunks = a.documents * chunksPerDoc;
  const batches = a.documents / c.itemsPerBatch;
  // A batch's Express execution lasts as long as its slowest document: at the run's rate, the
  // documents in flight take inFlight / rate minutes each (waiting in retries when throttled).
  const secondsInFlight = Math.max(
    a.secondsPerDocument,
    (inFlight / rate) * 60,
  );
  const costUsd = {
    "Bedrock embeddings (Titan v2)":
      ((a.documents * tokensPerDoc) / 1000) *
      PRICES.bedrockTitanEmbedV2Per1kTokens.usd,
    Lambda:
      a.documents *
        a.lambdaGbSecondsPerDocument *
        PRICES.lambdaArmGbSecond.usd +
      ((a.documents * 3) / 1e6) * PRICES.lambdaPerMillion.usd,
    "Step Functions":
      batches * STANDARD_TRANSITION_USD +
      (batches / 1e6) * EXPRESS_PER_MILLION_USD +
      batches * 0.0625 * secondsInFlight * EXPRESS_GB_SECOND_USD,
    "S3 requests (staging)":
      ((a.documents * 2) / 1000) * PRICES.s3PutPer1000.usd +
      ((a.documents * 4) / 1000) * S3_GET_PER_1000_USD,
    // The capacity the writes need, at least one ACU while the run lasts.
    "Aurora compute":
      hours *
      Math.max(1, (rate * chunksPerDoc) / 60 / a.chunksPerSecondPerAcu) *
      PRICES.auroraAcuHour.usd,
    "Aurora I/O":
      ((chunks * a.ioPerChunk) / 1e6) * PRICES.auroraPerMillionIo.usd,
  };
  return {
    label: c.label,
    inFlight,
    docsPerMinute,
    throughput: rate,
    binding,
    hours,
    costUsd,
  };
}

// Prices not in the shared table (us-east-1, checked 2026-11): https://aws.amazon.com/step-functions/pricing/,
// https://aws.amazon.com/s3/pricing/.
const STANDARD_TRANSITION_USD = 0.000025;
const EXPRESS_PER_MILLION_USD = 1;
const EXPRESS_GB_SECOND_USD = 0.00001667;
const S3_GET_PER_1000_USD = 0.0004;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });

/** The generated section of docs/ingestion.md. */
export function capacityReport(
  settings: readonly Concurrency[],
  a: CapacityAssumptions = DEFAULT_ASSUMPTIONS,
): string {
  const rows = settings.map((s) => capacity(s, a));
  const chunksPerDoc = chunksPerDocument(a);
  const storedGb = (a.documents * chunksPerDoc * a.bytesPerChunk) / 1e9;
  const costItems = Object.keys(rows[0].costUsd);
  const total = (r: CapacityRow) =>
    Object.values(r.costUsd).reduce((x, y) => x + y, 0);
  return [
    `${fmt(a.documents)} documents of ${a.pagesPerDocument} pages (${fmt(a.wordsPerPage)} words a page) make ${chunksPerDoc} chunks and ${fmt(chunksPerDoc * a.tokensPerChunk)} embedded tokens each: ${fmt((a.documents * chunksPerDoc) / 1e6, 0)} million chunks, ${fmt((a.documents * chunksPerDoc * a.tokensPerChunk) / 1e9, 2)} billion tokens.`,
    "",
    `| | ${rows.map((r) => r.label).join(" | ")} |`,
    `| --- | ${rows.map(() => "---").join(" | ")} |`,
    `| documents in flight (child workflows × batch) | ${rows.map((r) => fmt(r.inFlight)).join(" | ")} |`,
    `| ceiling: Bedrock quota (documents/minute) | ${rows.map((r) => fmt(r.docsPerMinute.bedrock)).join(" | ")} |`,
    `| ceiling: Lambda concurrency | ${rows.map((r) => fmt(r.docsPerMinute.lambda)).join(" | ")} |`,
    `| ceiling: Aurora writes (${a.auroraAcus} ACU) | ${rows.map((r) => fmt(r.docsPerMinute.aurora)).join(" | ")} |`,
    `| **binds first** | ${rows.map((r) => `**${r.binding}**`).join(" | ")} |`,
    `| throughput (documents/minute) | ${rows.map((r) => fmt(r.throughput)).join(" | ")} |`,
    `| **duration** | ${rows.map((r) => `**${r.hours >= 48 ? `${fmt(r.hours / 24, 1)} days` : `${fmt(r.hours, 1)} hours`}**`).join(" | ")} |`,
    ...costItems.map(
      (item) =>
        `| ${item} | ${rows.map((r) => `$${fmt(r.costUsd[item])}`).join(" | ")} |`,
    ),
    `| **cost of the run** | ${rows.map((r) => `**$${fmt(total(r))}**`).join(" | ")} |`,
    "",
    `Then stored: ${fmt(storedGb)} GB in Aurora, $${fmt(storedGb * PRICES.auroraStorageGbMonth.usd, 2)} a month.`,
  ].join("\n");
}
