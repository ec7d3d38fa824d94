import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import { connect, createServer, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBSITE_DIST } from "./paths.js";
import { startEphemeralStack } from "./stack.js";
import {
  allMessages,
  apiCaller,
  demoTokens,
  saveInferenceConfig,
  uploadDocument,
} from "./test-support.js";

// `npm run test:soak` cuts the network 10 times; `npm test` 3 times.
const PARTITIONS = process.env.SEXTANT_SOAK === "1" ? 10 : 3;

/** A TCP proxy the test can cut (every connection dropped, the port refusing) and restore: a network partition. */
async function partitionableProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const target = connect(targetPort, "127.0.0.1");
    for (const s of [client, target]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(target).pipe(client);
  });
  const listen = async (port: number) => {
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
  };
  await listen(0);
  const port = (server.address() as { port: number }).port;
  return {
    port,
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restore: () => listen(port),
    close: () =>
      new Promise((resolve) =>
        server.listening ? server.close(resolve) : resolve(undefined),
      ),
  };
}

describe("the database becomes unreachable in the middle of traffic (a Postgres behind a TCP proxy that is cut)", () => {
  let pglite: PGlite;
  let pgServer: PGLiteSocketServer;
  let proxy: Awaited<ReturnType<typeof partitionableProxy>>;
  let stack: Awaited<ReturnType<typeof startEphemeralStack>>;

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } });
    pgServer = new PGLiteSocketServer({
      db: pglite,
      host: "127.0.0.1",
      port: 0,
    });
    await pgServer.start();
    proxy = await partitionableProxy(
      Number(pgServer.getServerConn().split(":").pop()),
    );
    stack = await startEphemeralStack(WEBSITE_DIST, {
      databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
    await pgServer?.stop();
    await pglite?.close();
  });

  it("answers 503 with Retry-After while it is down, writes nothing partial, and recovers without a restart", async () => {
    const call = apiCaller(stack.apiUrl);
    const { user } = await demoTokens(stack);
    const session = await call("POST", "/sessions", { token: user, body: {} });
    expect(session.status).toBe(201);

    // Questions back to back (one at a time: the embedded Postgres is one session), the
    // partition starting and ending while they run.
    const outcomes: {
      question: string;
      status: number;
      retryAfter: string | null;
      during: boolean;
    }[] = [];
    let down = false;
    let stop = false;
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        const question = `Question ${i} about the budget`;
        const wasDown = down;
        const r = await call("POST", `/sessions/${session.body.id}/messages`, {
          token: user,
          body: { question },
        });
        outcomes.push({
          question,
          status: r.status,
          retryAfter: r.headers.get("retry-after"),
          during: wasDown || down,
        });
      }
    })();
    for (let cycle = 0; cycle < PARTITIONS; cycle++) {
      await new Promise((r) => setTimeout(r, 400));
      await proxy.cut();
      down = true;
      await new Promise((r) => setTimeout(r, 700));
      await proxy.restore();
      down = false;
    }
    await new Promise((r) => setTimeout(r, 700));
    stop = true;
    await traffic;

    const statuses = new Set(outcomes.map((o) => o.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    for (const o of outcomes.filter((x) => x.status === 503))
      expect(o.retryAfter).toMatch(/^\d+$/);
    expect(
      outcomes.filter((o) => o.status === 503).every((o) => o.during),
    ).toBe(true);
    // Recovered: the last questions, after the partition, were answered.
    expect(outcomes.at(-1)!.status).toBe(200);

    // Nothing partial: every stored question is followed by its answer (one transaction).
    const stored = await allMessages(call, user, session.body.id);
    const questions = stored
      .filter((m) => m.role === "user")
      .map((m) => m.content);
    expect(stored.map((m) => m.role)).toEqual(
      questions.flatMap(() => ["user", "assistant"]),
    );
    // Every answered question is stored, in order.
    const answered = outcomes
      .filter((o) => o.status === 200)
      .map((o) => o.question);
    expect(questions.filter((q) => answered.includes(q))).toEqual(answered);
    // A refused question may be stored only when its COMMIT reached the database as the link was
    // cut: the server committed, the acknowledgement was lost, and no client can tell (seen once,
    // in a fresh-clone run under parallel load). At most one per partition, each refused during one.
    const inDoubt = questions.filter((q) => !answered.includes(q));
    expect(inDoubt.length).toBeLessThanOrEqual(PARTITIONS);
    for (const q of inDoubt)
      expect(outcomes.find((o) => o.question === q)).toMatchObject({
        status: 503,
        during: true,
      });
    console.info(
      `database partitions: ${PARTITIONS}; ${outcomes.length} questions, ${answered.length} answered, ${outcomes.length - answered.length} refused with 503`,
    );
  });
});

describe("a model provider that throttles (a local OpenAI-compatible server answering 429)", () => {
  let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
  let calls = 0;
  const throttling = createHttpServer((req, res) => {
    calls += 1;
    req.resume();
    res.writeHead(429, {
      "Content-Type": "application/json",
      "Retry-After": "1",
    });
    res.end(JSON.stringify({ error: { message: "Rate limit exceeded" } }));
  });

  beforeAll(async () => {
    throttling.listen(0, "127.0.0.1");
    await once(throttling, "listening");
    stack = await startEphemeralStack(WEBSITE_DIST, { seedDemoCorpus: false });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    throttling.close();
  });

  it("retries a bounded number of times, then fails that message only with 503; the conversation goes on", async () => {
    const call = apiCaller(stack.apiUrl);
    const { admin } = await demoTokens(stack);
    // Something to answer from: without sources the chain answers without calling the model.
    const text =
      "The school board opened three new schools and repaved the roads to each of them.";
    await uploadDocument(call, admin, "schools.txt", text);
    const session = await call("POST", "/sessions", { token: admin, body: {} });
    const endpoint = `http://127.0.0.1:${(throttling.address() as { port: number }).port}/v1`;
    // Where a model lives is saved with the configuration (per-message overrides may not move it).
    const saveAnswerModel = async (answer: Record<string, unknown>) =>
      (
        await saveInferenceConfig(call, admin, (config) => ({
          ...config,
          models: {
            ...config.models,
            answer: { ...config.models.answer, ...answer },
          },
        }))
      ).models.answer;
    const original = await saveAnswerModel({
      provider: "openai-compatible",
      endpoint,
      modelId: "any",
    });
    const throttled = await call(
      "POST",
      `/sessions/${session.body.id}/messages`,
      {
        token: admin,
        body: { question: "What did the address say about schools?" },
      },
    );
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(throttled.body).toMatchObject({
      code: "ServiceUnavailable",
      message: expect.stringMatching(/nothing was saved/),
    });
    expect(calls).toBe(3); // one attempt and two retries, with backoff

    await saveAnswerModel({ ...original, endpoint: undefined });
    const next = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: admin,
      body: { question: "What did the address say about roads?" },
    });
    expect(next.status).toBe(200);
    const history = await call("GET", `/sessions/${session.body.id}/messages`, {
      token: admin,
    });
    expect(
      history.body.items.map((m: { content: string }) => m.content)[0],
    ).toBe("What did the address say about roads?");
    expect(history.body.items).toHaveLength(2);
  });
});
