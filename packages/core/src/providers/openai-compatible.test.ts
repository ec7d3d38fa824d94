import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  OpenAICompatibleEmbedder,
  OpenAICompatibleModel,
} from "./openai-compatible";
import type { TokenUsage } from "../chain/language-model";
import { ModelUnavailableError } from "../errors";

// A small OpenAI-compatible server on loopback: it streams chat completions as server-sent
// events, serves embeddings, and fails on demand.
let server: Server;
let endpoint: string;
const requests: { path: string; body: any }[] = [];
let failuresLeft = 0;
let hangsLeft = 0;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw);
    requests.push({ path: req.url!, body });
    if (hangsLeft > 0) {
      hangsLeft--;
      return; // never answers: the client's timeout must end it
    }
    if (failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(429).end();
      return;
    }
    if (req.url === "/v1/chat/completions") {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      for (const word of ["Canals ", "carry ", "grain [1]."]) {
        res.write(
          `data: ${JSON.stringify({ choices: [{ delta: { content: word } }] })}\n\n`,
        );
      }
      res.write(
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 42, completion_tokens: 3 } })}\n\n`,
      );
      res.end("data: [DONE]\n\n");
    } else if (req.url === "/v1/embeddings") {
      res.writeHead(200, { "Content-Type": "application/json" });
      const data = (body.input as string[])
        .map((text, index) => ({ index, embedding: [text.length, 1, 0] }))
        .reverse();
      res.end(JSON.stringify({ data }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Reads a generation to its end (or its error). */
async function drain(model: OpenAICompatibleModel): Promise<void> {
  for await (const _ of model.generate(
    { system: "S", user: "Q" },
    { maxTokens: 8, temperature: 0 },
  ))
    void _;
}

describe("OpenAICompatibleModel (against a local HTTP server)", () => {
  it("streams the completion token by token and reports the usage", async () => {
    const model = new OpenAICompatibleModel({ endpoint, modelId: "llama3" });
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const tokens: string[] = [];
    for await (const t of model.generate(
      { system: "Answer briefly.", user: "Question?" },
      {
        maxTokens: 64,
        temperature: 0.2,
        usage,
      },
    ))
      tokens.push(t);
    expect(tokens).toEqual(["Canals ", "carry ", "grain [1]."]);
    expect(usage).toEqual({ inputTokens: 42, outputTokens: 3 });
    expect(requests.at(-1)).toMatchObject({
      path: "/v1/chat/completions",
      body: {
        model: "llama3",
        stream: true,
        max_tokens: 64,
        temperature: 0.2,
        messages: [
          { role: "system", content: "Answer briefly." },
          { role: "user", content: "Question?" },
        ],
      },
    });
  });

  it("retries when throttled, then succeeds", async () => {
    failuresLeft = 2;
    const model = new OpenAICompatibleModel({ endpoint, modelId: "llama3" });
    let text = "";
    for await (const t of model.generate(
      { system: "S", user: "Q" },
      { maxTokens: 8, temperature: 0 },
    ))
      text += t;
    expect(text).toBe("Canals carry grain [1].");
  });

  it("gives up after bounded retries with a clear error", async () => {
    failuresLeft = 3;
    const model = new OpenAICompatibleModel({ endpoint, modelId: "llama3" });
    await expect(drain(model)).rejects.toThrow(ModelUnavailableError);
    failuresLeft = 0;
  });
});

describe("OpenAICompatibleModel against a server that never answers", () => {
  it("times out each attempt, retries a bounded number of times, then gives up", async () => {
    hangsLeft = 3;
    const before = requests.length;
    const model = new OpenAICompatibleModel({
      endpoint,
      modelId: "llama3",
      timeoutMs: 150,
    });
    const started = performance.now();
    await expect(drain(model)).rejects.toThrow(ModelUnavailableError);
    expect(requests.length - before).toBe(3);
    // 3 × 150 ms of timeouts + 200 + 400 ms of backoff: bounded, not the default 60 s.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("OpenAICompatibleEmbedder (against a local HTTP server)", () => {
  it("returns one vector per text, in input order", async () => {
    const embedder = new OpenAICompatibleEmbedder(
      { endpoint, modelId: "nomic-embed-text" },
      3,
    );
    expect(await embedder.embed(["a", "bbb"])).toEqual([
      [1, 1, 0],
      [3, 1, 0],
    ]);
  });

  it("refuses vectors of another size than the store's", async () => {
    const embedder = new OpenAICompatibleEmbedder(
      { endpoint, modelId: "nomic-embed-text" },
      384,
    );
    await expect(embedder.embed(["a"])).rejects.toThrow(
      "returned 3 dimensions; the store expects 384",
    );
  });
});
