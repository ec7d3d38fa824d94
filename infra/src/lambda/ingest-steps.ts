import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { S3Client } from "@aws-sdk/client-s3";
import { TextractClient } from "@aws-sdk/client-textract";
import { openAiKeyFromEnvironment } from "@sextant/core/aws";
import { SERVICE_CLIENT_LIMITS } from "@sextant/core/aws-clients";
import {
  embedStep,
  failStep,
  prepareStep,
  writeStep,
  type DocumentRef,
  type FailedState,
  type StepDependencies,
  type StepState,
} from "@sextant/core/aws-ingestion";
import { embedderFromConfig } from "@sextant/core/rag";
import {
  connectPostgres,
  currentInferenceConfig,
  refreshLexemeStats,
} from "@sextant/core/store";

// The ingestion state machine's Lambda steps (infra/src/constructs/ingestion.ts): thin entry
// points around `@sextant/core`'s pipeline. Each function exports one of these as its handler.

const metrics = new Metrics({
  namespace: "Sextant/Ingestion",
  serviceName: "sextant-ingestion",
});

let deps: Promise<StepDependencies> | undefined;
let textract: TextractClient | undefined;
/** Built once per container: Aurora through IAM authentication, S3, and the configured embedder. */
function dependencies(): Promise<StepDependencies> {
  deps ??= (async () => {
    const { db } = await connectPostgres(process.env.DATABASE_URL!, {
      migrate: false,
      max: 1,
    });
    const openAiKey = await openAiKeyFromEnvironment();
    return {
      db,
      s3: new S3Client({ ...SERVICE_CLIENT_LIMITS }),
      textract: () =>
        (textract ??= new TextractClient({ ...SERVICE_CLIENT_LIMITS })),
      // Read per document: an administrator may change the embedding model at any time.
      embedder: async () =>
        embedderFromConfig(
          (await currentInferenceConfig(db)).config,
          openAiKey,
        ),
    };
  })();
  // A failed connection is retried by the next invocation rather than cached.
  deps.catch(() => (deps = undefined));
  return deps;
}

export const prepare = async (ref: DocumentRef & Pick<StepState, "ocr">) =>
  prepareStep(await dependencies(), ref);

export const embed = async (state: StepState) =>
  embedStep(await dependencies(), state);

export const write = async (state: StepState) => {
  const result = await writeStep(await dependencies(), state);
  metrics.addMetric("DocumentsIngested", MetricUnit.Count, 1);
  metrics.addMetric("ChunksIngested", MetricUnit.Count, result.chunks);
  metrics.publishStoredMetrics();
  return result;
};

export const fail = async (state: FailedState) => {
  const failure = await failStep(await dependencies(), state);
  metrics.addMetric("DocumentsFailed", MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  // The reason, never the document's text: it is what the documents API shows too.
  console.error(
    JSON.stringify({ level: "WARN", message: "Document failed", ...failure }),
  );
  return failure;
};

/** After a bulk run: the ranking statistics, once for the whole run. */
export const finish = async () => {
  await refreshLexemeStats((await dependencies()).db);
  return { refreshed: true };
};
