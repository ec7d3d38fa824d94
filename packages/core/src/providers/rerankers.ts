import {
  BedrockAgentRuntimeClient,
  RerankCommand,
} from "@aws-sdk/client-bedrock-agent-runtime";
import { MODEL_CLIENT_LIMITS } from "../aws-client-config";
import { RetryableError, withRetries } from "./retry";
import type { Reranker, RerankResult } from "../retrieval/rerank";

/**
 * A reranker on Amazon Bedrock (Amazon Rerank, Cohere Rerank) through the Rerank API of the Agents
 * runtime: the query and the passages inline, the foundation model by ARN in the client's region.
 * IAM: `bedrock:Rerank` and `bedrock:InvokeModel` on the model.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_Rerank.html
 * https://docs.aws.amazon.com/bedrock/latest/userguide/rerank-prereq.html
 */
export class BedrockReranker implements Reranker {
  constructor(
    readonly modelId: string,
    private readonly client: BedrockAgentRuntimeClient = new BedrockAgentRuntimeClient(
      { ...MODEL_CLIENT_LIMITS },
    ),
  ) {}

  async rerank(
    query: string,
    passages: readonly string[],
    top: number,
    signal?: AbortSignal,
  ): Promise<RerankResult[]> {
    const region = await this.client.config.region();
    // The partition of the region's ARNs: aws, aws-cn, aws-us-gov.
    const partition = region.startsWith("cn-")
      ? "aws-cn"
      : region.startsWith("us-gov-")
        ? "aws-us-gov"
        : "aws";
    const response = await withRetries(`Bedrock reranker ${this.modelId}`, () =>
      this.client.send(
        new RerankCommand({
          queries: [{ type: "TEXT", textQuery: { text: query } }],
          sources: passages.map((text) => ({
            type: "INLINE",
            inlineDocumentSource: { type: "TEXT", textDocument: { text } },
          })),
          rerankingConfiguration: {
            type: "BEDROCK_RERANKING_MODEL",
            bedrockRerankingConfiguration: {
              numberOfResults: Math.min(top, passages.length),
              modelConfiguration: {
                modelArn: `arn:${partition}:bedrock:${region}::foundation-model/${this.modelId}`,
              },
            },
          },
        }),
        { abortSignal: signal },
      ),
    );
    return (response.results ?? []).map((r) => ({
      index: r.index ?? -1,
      score: r.relevanceScore ?? 0,
    }));
  }
}

/** Where a server with a Cohere-style rerank route listens (vLLM, Infinity, TEI, LocalAI, Cohere). */
export interface CohereCompatibleRerankerOptions {
  /** The base URL: `/rerank` is added (`http://localhost:8000/v1` → `…/v1/rerank`). */
  readonly endpoint: string;
  readonly modelId: string;
  readonly apiKey?: string;
  /** Per-request timeout. @default 30 s */
  readonly timeoutMs?: number;
}

/**
 * A reranker behind a Cohere-compatible `POST /rerank`: `{ model, query, documents, top_n }` in,
 * `{ results: [{ index, relevance_score }] }` out, most relevant first (the shape of Cohere's
 * Rerank API, which vLLM and other servers that speak OpenAI for chat also serve).
 */
export class CohereCompatibleReranker implements Reranker {
  readonly modelId: string;
  constructor(private readonly options: CohereCompatibleRerankerOptions) {
    this.modelId = options.modelId;
  }

  async rerank(
    query: string,
    passages: readonly string[],
    top: number,
    signal?: AbortSignal,
  ): Promise<RerankResult[]> {
    const { endpoint, apiKey } = this.options;
    const url = `${endpoint.replace(/\/$/, "")}/rerank`;
    const body = await withRetries(`Reranker ${this.modelId}`, async () => {
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.modelId,
          query,
          documents: passages,
          top_n: Math.min(top, passages.length),
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      if (response.status === 429 || response.status >= 500)
        throw new RetryableError(`HTTP ${response.status} from ${url}`);
      if (!response.ok)
        throw new Error(
          `HTTP ${response.status} from ${url}: ${(await response.text()).slice(0, 200)}`,
        );
      return (await response.json()) as {
        results?: { index?: number; relevance_score?: number }[];
      };
    });
    if (!Array.isArray(body.results))
      throw new Error(`${url} answered without a results list`);
    return body.results
      .map((r) => ({ index: r.index ?? -1, score: r.relevance_score ?? 0 }))
      .sort((a, b) => b.score - a.score);
  }
}
