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
  saveAnswerModel,
  uploadDocument,
} from "./test-support.js";

// `npm run test:soak` cuts the network 10 times; `npm test` 3 times.
const PARTITIONS = process.env.SEXTANT_SOAK === "1" ? 10 : 3;

/**
 * A TCP proxy in front of Postgres that the test cuts (every connection dropped, the port
 * refusing) and restores: a network partition. Cuts are timed by what crosses the link, never by
 * the clock, so they land at the same point of a request on any machine:
 * - `cutAtPacket(n)`: the n-th message from the application from now on never reaches the
 *   database; the link is cut instead (mid-request, before its COMMIT or at it);
 * - `cutAfterCommit()`: the next COMMIT reaches the database, and its answer is lost with the
 *   link (a write in doubt: committed, never acknowledged).
 */
async function partitionableProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let trigger:
    ((chunk: Buffer) => "forward" | "cut" | "cut-on-reply") | undefined;
  let cutOnReply = false;
  let packets = 0;
  const server = createServer((client) => {
    const target = connect(targetPort, "127.0.0.1");
    for (const s of [client, target]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.on("data", (chunk: Buffer) => {
      packets++;
      const action = trigger?.(chunk) ?? "forward";
      if (action === "cut") return void proxy.cut();
      if (action === "cut-on-reply") cutOnReply = true;
      target.write(chunk);
    });
    target.on("data", (chunk: Buffer) => {
      if (cutOnReply) return void proxy.cut();
      client.write(chunk);
    });
  });
  const listen = async (port: number) => {
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
  };
  await listen(0);
  const port = (server.address() as { port: number }).port;
  let cut: Promise<void> | undefined;
  const proxy = {
    port,
    /** Messages sent by the application so far. */
    get packets() {
      return packets;
    },
    get down() {
      return !server.listening;
    },
    cut(): Promise<void> {
      trigger = undefined;
      cutOnReply = false;
      cut ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return cut;
    },
    cutAtPacket(n: number) {
      let seen = 0;
      trigger = () => (++seen === n ? "cut" : "forward");
    },
    cutAfterCommit() {
      trigger = (chunk) =>
        chunk.includes("COMMIT") ? "cut-on-reply" : "forward";
    },
    async restore() {
      await cut;
      cut = undefined;
      await listen(port);
    },
    close: () =>
      new Promise((resolve) =>
        server.listening ? server.close(resolve) : resolve(undefined),
      ),
  };
  return proxy;
}

describe("the database becomes unreachable in the middle of traffic (a Postgres behind a TCP proxy that is cut)", () => {
  let pglite: PGlite;
  let pgServer: PGLiteSocketServer;
  let proxy: Awaited<ReturnType<typeof partitionableProxy>>;
  let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
  let call: ReturnType<typeof apiCaller>;
  let user: string;

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
    call = apiCaller(stack.apiUrl);
    ({ user } = await demoTokens(stack));
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
    await pgServer?.stop();
    await pglite?.close();
  });

  const ask = (sessionId: string, question: string, key?: string) =>
    call("POST", `/sessions/${sessionId}/messages`, {
      token: user,
      body: { question },
      headers: key ? { "Idempotency-Key": key } : {},
    });

  it("answers 503 with Retry-After when the link is cut mid-request or down, stores no refused question, and recovers without a restart", async () => {
    const session = (await call("POST", "/sessions", { token: user, body: {} }))
      .body;
    // How many messages one question sends to the database, so each cut can land inside one:
    // the fewer of two (a question that finds the quotas in the process's cache sends one less).
    const sent: number[] = [];
    for (const question of ["How many messages?", "And now?"]) {
      const before = proxy.packets;
      expect((await ask(session.id, question)).status).toBe(200);
      sent.push(proxy.packets - before);
    }
    const perQuestion = Math.min(...sent);
    expect(perQuestion).toBeGreaterThan(2);

    const outcomes: {
      question: string;
      status: number;
      retryAfter: string | null;
    }[] = [];
    const record = async (question: string) => {
      const r = await ask(session.id, question);
      outcomes.push({
        question,
        status: r.status,
        retryAfter: r.headers.get("retry-after"),
      });
      return r.status;
    };
    for (let cycle = 0; cycle < PARTITIONS; cycle++) {
      // Up: answered.
      expect(await record(`Up ${cycle}a about the budget`)).toBe(200);
      expect(await record(`Up ${cycle}b about the budget`)).toBe(200);
      // Cut at a different message of the request each time, from its first to its last (COMMIT).
      proxy.cutAtPacket(
        1 +
          Math.round((cycle * (perQuestion - 1)) / Math.max(1, PARTITIONS - 1)),
      );
      expect(await record(`Cut ${cycle} about the budget`)).toBe(503);
      expect(proxy.down).toBe(true);
      // Down: refused at once.
      expect(await record(`Down ${cycle} about the budget`)).toBe(503);
      await proxy.restore();
    }
    // Recovered: answered again, without restarting anything.
    expect(await record("After the partitions, about the budget")).toBe(200);

    for (const o of outcomes.filter((x) => x.status === 503))
      expect(o.retryAfter, o.question).toMatch(/^\d+$/);
    // Every answered question is stored with its answer, in order; no refused one is.
    const stored = await allMessages(call, user, session.id);
    expect(
      stored.map((m) => [m.role, m.role === "user" ? m.content : ""]),
    ).toEqual(
      [
        "How many messages?",
        "And now?",
        ...outcomes.filter((o) => o.status === 200).map((o) => o.question),
      ].flatMap((q) => [
        ["user", q],
        ["assistant", ""],
      ]),
    );
    console.info(
      `database partitions: ${PARTITIONS}, cut at messages 1–${perQuestion} of a question; ${outcomes.length} questions, ${outcomes.filter((o) => o.status === 200).length} answered, ${outcomes.filter((o) => o.status === 503).length} refused with 503`,
    );
  });

  it("a write in doubt (COMMIT reached the database, its answer lost): 503, and the retry with the same Idempotency-Key returns the stored pair, kept once", async () => {
    const session = (await call("POST", "/sessions", { token: user, body: {} }))
      .body;
    const key = "in-doubt-0001";
    proxy.cutAfterCommit();
    const first = await ask(session.id, "Committed, never acknowledged?", key);
    expect(first.status).toBe(503);
    await proxy.restore();
    // The client cannot tell this 503 from any other: the question is stored.
    const stored = await allMessages(call, user, session.id);
    expect(stored.map((m) => m.role)).toEqual(["user", "assistant"]);
    // So the website retries with the same key, and gets what was stored, once.
    const retry = await ask(session.id, "Committed, never acknowledged?", key);
    expect(retry.status).toBe(200);
    expect(retry.body.question.id).toBe(stored[0].id);
    expect(await allMessages(call, user, session.id)).toHaveLength(2);
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
    const original = (
      await saveAnswerModel(call, admin, {
        provider: "openai-compatible",
        endpoint,
        modelId: "any",
      })
    ).models.answer;
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

    await saveAnswerModel(call, admin, { ...original, endpoint: undefined });
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
