import { once } from "node:events";
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBSITE_DIST } from "./paths.js";
import { startEphemeralStack } from "./stack.js";
import {
  allMessages,
  apiCaller,
  demoTokens,
  openAiStreamChunk,
  saveAnswerModel,
  uploadDocument,
} from "./test-support.js";

/**
 * Streaming's unhappy paths against the local stack, with a real OpenAI-compatible model server
 * on loopback that misbehaves on purpose: it fails after the first token, or streams slowly until
 * the client goes away (whether the model call was cancelled is seen from the server's side).
 */
let mode: "fail-after-first-token" | "slow" = "fail-after-first-token";
let modelCallClosed: Promise<void> = Promise.resolve();
const model = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  const token = (text: string) => res.write(openAiStreamChunk(text));
  token("The harbour ");
  if (mode === "fail-after-first-token") {
    // The connection breaks mid-answer, as a crashed model server's would.
    setTimeout(() => res.destroy(), 50);
    return;
  }
  modelCallClosed = new Promise((resolve) => res.on("close", resolve));
  const timer = setInterval(() => token("still "), 100);
  res.on("close", () => clearInterval(timer));
});

let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let call: ReturnType<typeof apiCaller>;
let admin: string;

beforeAll(async () => {
  model.listen(0, "127.0.0.1");
  await once(model, "listening");
  stack = await startEphemeralStack(WEBSITE_DIST, { seedDemoCorpus: false });
  call = apiCaller(stack.apiUrl);
  ({ admin } = await demoTokens(stack));
  await uploadDocument(
    call,
    admin,
    "harbour.txt",
    "The harbour was dredged for larger ships in the spring.",
  );
  // The answer model is the misbehaving server (saved, as endpoints must be).
  const port = (model.address() as { port: number }).port;
  await saveAnswerModel(call, admin, {
    provider: "openai-compatible",
    endpoint: `http://127.0.0.1:${port}/v1`,
    modelId: "misbehaving",
  });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  model.close();
});

const stream = (sessionId: string, signal?: AbortSignal) =>
  fetch(`${stack.apiUrl}/sessions/${sessionId}/messages/stream`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${admin}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ question: "What was done to the harbour?" }),
    signal,
  });

describe("streaming's unhappy paths (a real model server on loopback that misbehaves)", () => {
  it("a model that fails after the first token: 200, the token, one error event with its code, nothing stored", async () => {
    mode = "fail-after-first-token";
    const session = await call("POST", "/sessions", { token: admin, body: {} });
    const response = await stream(session.body.id);
    expect(response.status).toBe(200);
    const events = (await response.text())
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(events[0]).toEqual({ type: "token", text: "The harbour " });
    const errors = events.filter((e) => e.type === "error");
    expect(errors).toHaveLength(1);
    // The model is unavailable for this message (a 503's code), not an internal failure.
    expect(errors[0].code).toBe("ServiceUnavailable");
    expect(events.some((e) => e.type === "done")).toBe(false);
    expect(await allMessages(call, admin, session.body.id)).toEqual([]);
  });

  it("Stop (the client aborts): nothing stored, and the model call is cancelled", async () => {
    mode = "slow";
    const session = await call("POST", "/sessions", { token: admin, body: {} });
    const controller = new AbortController();
    const response = await stream(session.body.id, controller.signal);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // the first token has arrived
    const started = modelCallClosed;
    controller.abort();
    // The model server sees its connection closed: the call was cancelled, not left running.
    await Promise.race([
      started,
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(new Error("the model call was not cancelled within 5 s")),
          5_000,
        ),
      ),
    ]);
    // Give the handler a moment to finish whatever it would store.
    await new Promise((r) => setTimeout(r, 300));
    expect(await allMessages(call, admin, session.body.id)).toEqual([]);
  });
});
