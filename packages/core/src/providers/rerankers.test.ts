import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import {
  BedrockAgentRuntimeClient,
  RerankCommand,
} from "@aws-sdk/client-bedrock-agent-runtime";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BedrockReranker, CohereCompatibleReranker } from "./rerankers";
import { ModelUnavailableError } from "../errors";

const PASSAGES = [
  "Canals carry grain to the coast.",
  "The harbour froze in January.",
  "Grain prices rose after the canal opened.",
];

// AWS cannot be reached here: recorded Rerank responses in the shape the API reference documents
// (results: [{ index, relevanceScore }], most relevant first).
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_Rerank.html
describe("BedrockReranker (recorded AWS SDK responses)", () => {
  const agent = mockClient(BedrockAgentRuntimeClient);
  beforeEach(() => agent.reset());

  it("sends the query and passages inline to the model's ARN in the client's region, and returns its order", async () => {
    agent.on(RerankCommand).resolves({
      results: [
        { index: 2, relevanceScore: 0.91 },
        { index: 0, relevanceScore: 0.62 },
        { index: 1, relevanceScore: 0.03 },
      ],
    });
    const reranker = new BedrockReranker(
      "amazon.rerank-v1:0",
      new BedrockAgentRuntimeClient({ region: "eu-central-1" }),
    );
    expect(await reranker.rerank("grain canal", PASSAGES, 2)).toEqual([
      { index: 2, score: 0.91 },
      { index: 0, score: 0.62 },
      { index: 1, score: 0.03 },
    ]);
    const sent = agent.commandCalls(RerankCommand)[0].args[0].input;
    expect(sent.queries).toEqual([
      { type: "TEXT", textQuery: { text: "grain canal" } },
    ]);
    expect(
      sent.sources?.map((s) => s.inlineDocumentSource?.textDocument?.text),
    ).toEqual(PASSAGES);
    expect(sent.sources?.[0]).toMatchObject({
      type: "INLINE",
      inlineDocumentSource: { type: "TEXT" },
    });
    expect(sent.rerankingConfiguration).toEqual({
      type: "BEDROCK_RERANKING_MODEL",
      bedrockRerankingConfiguration: {
        numberOfResults: 2,
        modelConfiguration: {
          modelArn:
            "arn:aws:bedrock:eu-central-1::foundation-model/amazon.rerank-v1:0",
        },
      },
    });
  });

  it("retries throttling, then reports the reranker unavailable (503), not a 500", async () => {
    agent.on(RerankCommand).rejects(
      Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
      }),
    );
    const reranker = new BedrockReranker(
      "cohere.rerank-v3-5:0",
      new BedrockAgentRuntimeClient({ region: "us-west-2" }),
    );
    await expect(reranker.rerank("grain", PASSAGES, 3)).rejects.toBeInstanceOf(
      ModelUnavailableError,
    );
    expect(agent.commandCalls(RerankCommand)).toHaveLength(3);
  });
});

// A Cohere-compatible rerank route on loopback, standing in for vLLM or Cohere: it scores each
// document by the words it shares with the query, and fails on demand.
describe("CohereCompatibleReranker (a local HTTP stand-in)", () => {
  let server: Server;
  let endpoint: string;
  const requests: { path: string; auth?: string; body: any }[] = [];
  let failuresLeft = 0;
  let status = 200;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const body = JSON.parse(raw);
      requests.push({ path: req.url!, auth: req.headers.authorization, body });
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503).end();
        return;
      }
      if (status !== 200) {
        res.writeHead(status).end("model not found");
        return;
      }
      const words = new Set(body.query.toLowerCase().split(/\W+/));
      const results = (body.documents as string[])
        .map((d, index) => ({
          index,
          relevance_score:
            d
              .toLowerCase()
              .split(/\W+/)
              .filter((w) => words.has(w)).length / 10,
        }))
        .sort((a, b) => b.relevance_score - a.relevance_score)
        .slice(0, body.top_n);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ id: "r1", results, meta: {} }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    requests.length = 0;
    failuresLeft = 0;
    status = 200;
  });

  it("posts { model, query, documents, top_n } to <endpoint>/rerank with the key, and returns the server's order", async () => {
    const reranker = new CohereCompatibleReranker({
      endpoint,
      modelId: "BAAI/bge-reranker-v2-m3",
      apiKey: "sk-local",
    });
    const ranked = await reranker.rerank("grain canal", PASSAGES, 2);
    expect(ranked.map((r) => r.index)).toEqual([2, 0]);
    expect(ranked[0].score).toBeGreaterThanOrEqual(ranked[1].score);
    expect(requests).toEqual([
      {
        path: "/v1/rerank",
        auth: "Bearer sk-local",
        body: {
          model: "BAAI/bge-reranker-v2-m3",
          query: "grain canal",
          documents: PASSAGES,
          top_n: 2,
        },
      },
    ]);
  });

  it("retries a 503, and reports a 4xx with the server's words", async () => {
    const reranker = new CohereCompatibleReranker({
      endpoint,
      modelId: "m",
    });
    failuresLeft = 1;
    expect(await reranker.rerank("grain", PASSAGES, 3)).toHaveLength(3);
    expect(requests).toHaveLength(2);
    expect(requests[0].auth).toBeUndefined();
    status = 404;
    await expect(reranker.rerank("grain", PASSAGES, 3)).rejects.toThrow(
      /HTTP 404 .*model not found/,
    );
  });
});
