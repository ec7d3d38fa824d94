import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { OPERATIONS } from "@sextant/api-typescript-handlers";
import { USER_ACCESS_TTL_MS } from "@sextant/core/store";
import { DEFAULT_ASSISTANT_ID as DEFAULT_ASSISTANT } from "@sextant/core/well-known-ids";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_EVALUATION_SET, sotuDataDir } from "./demo-corpus.js";
import { WEBSITE_DIST } from "./paths.js";
import { startEphemeralStack } from "./stack.js";
import { apiCaller, demoTokens } from "./test-support.js";
import { requestDemoToken } from "./token.js";

/**
 * Who may call each operation, and a well-formed request for it. Adding an operation to the
 * model without a decision here fails the first test below.
 */
const DECISIONS: Record<
  string,
  { access: "everyone" | "administrators"; body?: () => unknown }
> = {
  getMe: { access: "everyone" },
  listSessions: { access: "everyone" },
  createSession: { access: "everyone", body: () => ({ title: "Matrix" }) },
  getSession: { access: "everyone" },
  updateSession: { access: "everyone", body: () => ({ title: "Renamed" }) },
  deleteSession: { access: "everyone" },
  listMessages: { access: "everyone" },
  postMessage: {
    access: "everyone",
    body: () => ({ question: "What about the economy?" }),
  },
  streamMessage: {
    access: "everyone",
    body: () => ({ question: "What about the economy?" }),
  },
  putFeedback: { access: "everyone", body: () => ({ rating: "up" }) },
  searchDocuments: {
    access: "everyone",
    body: () => ({ query: "economy", k: 2 }),
  },
  getInferenceConfig: { access: "administrators" },
  updateInferenceConfig: { access: "administrators", body: () => ({}) },
  listInferenceConfigVersions: { access: "administrators" },
  restoreInferenceConfigVersion: { access: "administrators" },
  createUploadUrl: {
    access: "administrators",
    body: () => ({ filename: "notes.txt", size: 10 }),
  },
  listDocuments: { access: "administrators" },
  getDocument: { access: "administrators" },
  deleteDocument: { access: "administrators" },
  downloadDocument: { access: "everyone" },
  exportSession: { access: "everyone" },
  listShares: { access: "everyone" },
  shareSession: { access: "everyone", body: () => ({ users: ["analyst"] }) },
  revokeShare: { access: "everyone" },
  getSharedConversation: { access: "everyone" },
  listSources: { access: "administrators" },
  createSource: {
    access: "administrators",
    body: () => ({
      name: "policies",
      bucket: "acme-policies",
      collectionId: "00000000-0000-4000-8000-000000000001",
    }),
  },
  deleteSource: { access: "administrators" },
  updateDocument: {
    access: "administrators",
    body: () => ({ collectionId: "00000000-0000-4000-8000-000000000001" }),
  },
  listUsers: { access: "administrators" },
  inviteUser: {
    access: "administrators",
    body: () => ({
      username: `u-${randomUUID().slice(0, 8)}`,
      email: "new@example.com",
    }),
  },
  updateUser: { access: "administrators", body: () => ({ enabled: true }) },
  listAuditLog: { access: "administrators" },
  listCollections: { access: "administrators" },
  createCollection: {
    access: "administrators",
    body: () => ({ name: `c-${randomUUID().slice(0, 8)}` }),
  },
  updateCollection: {
    access: "administrators",
    body: () => ({ everyone: false }),
  },
  deleteCollection: { access: "administrators" },
  listAssistants: { access: "everyone" },
  adminListAssistants: { access: "administrators" },
  createAssistant: {
    access: "administrators",
    body: () => ({ name: `a-${randomUUID().slice(0, 8)}` }),
  },
  getAssistant: { access: "administrators" },
  updateAssistant: {
    access: "administrators",
    body: () => ({ name: `a-${randomUUID().slice(0, 8)}` }),
  },
  listAssistantVersions: { access: "administrators" },
  restoreAssistantVersion: { access: "administrators" },
  listEvaluationSets: { access: "administrators" },
  saveEvaluationSet: {
    access: "administrators",
    body: () => ({
      jsonl: '{"question":"q","expectedSources":["1990"]}',
    }),
  },
  exportEvaluationSet: { access: "administrators" },
  deleteEvaluationSet: { access: "administrators" },
  addEvaluationQuestion: {
    access: "administrators",
    body: () => ({ question: "q", expectedSources: ["1990"] }),
  },
  startEvaluationRun: { access: "administrators", body: () => ({}) },
  getEvaluationRun: { access: "administrators" },
  getQuotas: { access: "administrators" },
  updateQuotas: { access: "administrators", body: () => ({}) },
  getUsage: { access: "administrators" },
  getAllowance: { access: "everyone" },
  exportUsage: { access: "administrators" },
};

let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let tokens: Record<string, string> = {};
let call: ReturnType<typeof apiCaller>;
const concretePath = (path: string) =>
  path.replace("{version}", "1").replace(/\{\w+\}/g, () => randomUUID());

/** Every error leaves in the one shape. */
function expectErrorShape(status: number, body: any) {
  expect(status, JSON.stringify(body)).toBeLessThan(500);
  if (status >= 400) {
    expect(body).toEqual(
      expect.objectContaining({
        code: expect.any(String),
        message: expect.any(String),
      }),
    );
  }
}

beforeAll(async () => {
  stack = await startEphemeralStack(WEBSITE_DIST, { seedDemoCorpus: true });
  call = apiCaller(stack.apiUrl);
  tokens = await demoTokens(stack);
}, 120_000);
afterAll(() => stack?.close());

describe("authorization, derived from the model", () => {
  const operations = Object.values(OPERATIONS);

  it("has a decision for every operation, and each decision agrees with the model", () => {
    expect(Object.keys(DECISIONS).sort()).toEqual(
      operations.map((o) => o.operationId).sort(),
    );
    for (const op of operations) {
      expect(DECISIONS[op.operationId].access, op.operationId).toBe(
        op.requiredGroup === "Administrators" ? "administrators" : "everyone",
      );
    }
  });

  it.each(operations)(
    "$method $path: 401 without a token, 401 with a tampered one",
    async (op) => {
      const none = await call(op.method, concretePath(op.path), {
        body: DECISIONS[op.operationId].body?.(),
      });
      expect(none.status).toBe(401);
      expect(none.body.code).toBe("Unauthenticated");
      const tampered = `${tokens.user.slice(0, -6)}AAAAAA`;
      const bad = await call(op.method, concretePath(op.path), {
        token: tampered,
        body: DECISIONS[op.operationId].body?.(),
      });
      expect(bad.status).toBe(401);
    },
  );

  it.each(operations)(
    "$method $path: as decided for a user, allowed for an administrator",
    async (op) => {
      const decision = DECISIONS[op.operationId];
      const asUser = await call(op.method, concretePath(op.path), {
        token: tokens.user,
        body: decision.body?.(),
      });
      expectErrorShape(asUser.status, asUser.body);
      if (decision.access === "administrators") {
        expect(asUser.status).toBe(403);
        expect(asUser.body.code).toBe("NotAuthorized");
      } else {
        expect([401, 403]).not.toContain(asUser.status);
      }
      const asAdmin = await call(op.method, concretePath(op.path), {
        token: tokens.admin,
        body: decision.body?.(),
      });
      expectErrorShape(asAdmin.status, asAdmin.body);
      expect([401, 403]).not.toContain(asAdmin.status);
    },
  );
});

describe("the demo's collections (npm start)", () => {
  it("asked about the September 11 attacks, `user` gets sources from 1981–2000 only, `analyst` the addresses since 2001", async () => {
    const yearsFor = async (token: string) => {
      const found = await call("POST", "/search", {
        token,
        body: { query: "the September 11 attacks by terrorists" },
      });
      expect(found.status).toBe(200);
      return found.body.results.map((r: { source: string }) =>
        Number(basename(r.source).slice(0, 4)),
      );
    };
    const user = await yearsFor(tokens.user);
    expect(user.every((y: number) => y >= 1981 && y <= 2000)).toBe(true);
    const analyst = await yearsFor(tokens.analyst);
    expect(analyst.length).toBeGreaterThan(0);
    expect(analyst.every((y: number) => y >= 2001)).toBe(true);
  });

  it("gives the original of an address only to those who read its collection: user gets 404 for 2002's, as for no document; analyst downloads it", async () => {
    const listed = await call("GET", "/admin/documents?limit=100&search=2002", {
      token: tokens.admin,
    });
    const address = listed.body.items.find((d: { title: string }) =>
      d.title.endsWith(", 2002"),
    );
    expect(address).toMatchObject({
      title: "State of the Union — George W. Bush, 2002",
    });
    const asUser = await call("GET", `/documents/${address.id}/download`, {
      token: tokens.user,
    });
    expect(asUser.status).toBe(404);
    const nowhere = await call("GET", `/documents/${randomUUID()}/download`, {
      token: tokens.user,
    });
    expect(asUser.body.message.replace(address.id, "ID")).toBe(
      nowhere.body.message.replace(/[0-9a-f-]{36}/, "ID"),
    );
    const asAnalyst = await call("GET", `/documents/${address.id}/download`, {
      token: tokens.analyst,
    });
    expect(asAnalyst.status).toBe(200);
    const file = await fetch(asAnalyst.body.url);
    expect(await file.text()).toContain("terror");
    // A download link is for its own document: tampered with, it is refused.
    const forged = await fetch(`${asAnalyst.body.url.slice(0, -2)}xx`);
    expect(forged.status).toBe(403);
  });
});

describe("exporting a conversation (issue 29)", () => {
  it("gives its owner Markdown with footnoted citations or the JSON record, names the file after the title; anyone else gets 404, a bad format 400", async () => {
    const session = await call("POST", "/sessions", {
      token: tokens.user,
      body: { title: "Soviet arms talks" },
    });
    const asked = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: tokens.user,
      body: {
        question:
          "What did the president say about the Soviet Union and arms reduction?",
      },
    });
    expect(asked.status).toBe(200);
    const md = await fetch(
      `${stack.apiUrl}/sessions/${session.body.id}/export?format=md`,
      {
        headers: { Authorization: `Bearer ${tokens.user}` },
      },
    );
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toContain("text/markdown");
    expect(md.headers.get("content-disposition")).toContain(
      'filename="soviet-arms-talks.md"',
    );
    const text = await md.text();
    expect(text.split("\n")[0]).toBe("# Soviet arms talks");
    expect(text).toMatch(
      /\[\^1-1\]: State of the Union — [^,]+, \d{4}, state-of-the-union\/\d{4}_[a-z_]+\.txt/,
    );
    const json = await call(
      "GET",
      `/sessions/${session.body.id}/export?format=json`,
      { token: tokens.user },
    );
    expect(json.status).toBe(200);
    expect(json.body.messages).toHaveLength(2);
    expect(json.body.messages[1].sources.length).toBeGreaterThan(0);
    const other = await call("GET", `/sessions/${session.body.id}/export`, {
      token: tokens.analyst,
    });
    expect(other.status).toBe(404);
    const bad = await call(
      "GET",
      `/sessions/${session.body.id}/export?format=pdf`,
      { token: tokens.user },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([
      { path: "format", message: "must be md or json" },
    ]);
  });
});

describe("sharing a conversation, read-only (issue 29)", () => {
  it("opens it for the user it is shared with, 404 for a third user, and 404 again once revoked", async () => {
    const session = await call("POST", "/sessions", {
      token: tokens.user,
      body: { title: "Shared thread" },
    });
    await call("POST", `/sessions/${session.body.id}/messages`, {
      token: tokens.user,
      body: { question: "What was said about the Challenger crew?" },
    });
    const shared = await call("POST", `/sessions/${session.body.id}/shares`, {
      token: tokens.user,
      body: { users: ["analyst"] },
    });
    expect(shared.status).toBe(201);
    expect(shared.body.items).toEqual([
      expect.objectContaining({ kind: "user", name: "analyst" }),
    ]);
    const asAnalyst = await call("GET", `/shared/${session.body.id}`, {
      token: tokens.analyst,
    });
    expect(asAnalyst.status).toBe(200);
    expect(asAnalyst.body).toMatchObject({
      session: { title: "Shared thread" },
      sharedBy: "user",
    });
    expect(asAnalyst.body.messages).toHaveLength(2);
    // Read-only: the analyst cannot post into it, rename it or list it as theirs.
    for (const [method, path, body] of [
      ["POST", `/sessions/${session.body.id}/messages`, { question: "More?" }],
      ["PATCH", `/sessions/${session.body.id}`, { title: "Mine now" }],
      ["GET", `/sessions/${session.body.id}/messages`, undefined],
      ["POST", `/sessions/${session.body.id}/shares`, { users: ["admin"] }],
    ] as const)
      expect(
        (await call(method, path, { token: tokens.analyst, body })).status,
        `${method} ${path}`,
      ).toBe(404);
    expect(
      (await call("GET", `/shared/${session.body.id}`, { token: tokens.admin }))
        .status,
    ).toBe(404);
    await call(
      "DELETE",
      `/sessions/${session.body.id}/shares/${shared.body.items[0].id}`,
      { token: tokens.user },
    );
    expect(
      (
        await call("GET", `/shared/${session.body.id}`, {
          token: tokens.analyst,
        })
      ).status,
    ).toBe(404);
  });
});

describe("chat", () => {
  it("answers a question about the demo corpus with citations, and keeps the turn in the session", async () => {
    expect(stack.seeded?.added).toBeGreaterThan(30);
    const session = await call("POST", "/sessions", {
      token: tokens.user,
      body: {},
    });
    expect(session.status).toBe(201);
    const answer = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: tokens.user,
      body: {
        question: "What was said about the war on terror and Afghanistan?",
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.answer.sources.length).toBeGreaterThan(0);
    expect(answer.body.answer.sources[0]).toMatchObject({
      number: 1,
      source: expect.stringMatching(/\.txt$/),
    });
    expect(answer.body.answer.content).toMatch(/\[1\]/);
    expect(answer.body.answer.latencyMs.total).toBeGreaterThan(0);
    const history = await call("GET", `/sessions/${session.body.id}/messages`, {
      token: tokens.user,
    });
    expect(history.body.items.map((m: { id: string }) => m.id)).toEqual([
      answer.body.question.id,
      answer.body.answer.id,
    ]);
    const renamed = await call("GET", `/sessions/${session.body.id}`, {
      token: tokens.user,
    });
    expect(renamed.body.title).toMatch(/war on terror/);
  });

  it("isolates users: another user's sessions and messages are 404, and stay untouched", async () => {
    const mine = await call("POST", "/sessions", {
      token: tokens.admin,
      body: { title: "Admin's" },
    });
    const asked = await call("POST", `/sessions/${mine.body.id}/messages`, {
      token: tokens.admin,
      body: { question: "What about taxes?" },
    });
    const id = mine.body.id;
    const attempts = [
      call("GET", `/sessions/${id}`, { token: tokens.user }),
      call("PATCH", `/sessions/${id}`, {
        token: tokens.user,
        body: { title: "Mine now" },
      }),
      call("DELETE", `/sessions/${id}`, { token: tokens.user }),
      call("GET", `/sessions/${id}/messages`, { token: tokens.user }),
      call("POST", `/sessions/${id}/messages`, {
        token: tokens.user,
        body: { question: "Hello?" },
      }),
      call("PUT", `/sessions/${id}/messages/${asked.body.answer.id}/feedback`, {
        token: tokens.user,
        body: { rating: "down" },
      }),
    ];
    for (const attempt of await Promise.all(attempts)) {
      expect(attempt.status).toBe(404);
      expect(attempt.body.code).toBe("NotFound");
    }
    const list = await call("GET", "/sessions", { token: tokens.user });
    expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(id);
    const still = await call("GET", `/sessions/${id}/messages`, {
      token: tokens.admin,
    });
    expect(still.body.items).toHaveLength(2);
    expect(still.body.items[1].feedback).toBeUndefined();
  });

  it("lets an administrator change k and the next message use it; a user can do neither", async () => {
    const question = {
      question: "What did the president say about health care costs?",
    };
    const session = await call("POST", "/sessions", {
      token: tokens.admin,
      body: {},
    });
    const before = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: tokens.admin,
      body: question,
    });
    expect(before.body.answer.sources.length).toBeGreaterThan(1);

    const current = await call("GET", "/admin/inference-config", {
      token: tokens.admin,
    });
    const etag = current.headers.get("etag")!;
    const changed = {
      ...current.body.config,
      retrieval: { ...current.body.config.retrieval, k: 1 },
    };
    const denied = await call("PUT", "/admin/inference-config", {
      token: tokens.user,
      body: changed,
      headers: { "If-Match": etag },
    });
    expect(denied.status).toBe(403);
    const overrides = await call(
      "POST",
      `/sessions/${session.body.id}/messages`,
      {
        token: tokens.user,
        body: { ...question, overrides: { retrieval: { k: 1 } } },
      },
    );
    expect(overrides.status).toBe(403);

    const saved = await call("PUT", "/admin/inference-config", {
      token: tokens.admin,
      body: changed,
      headers: { "If-Match": etag },
    });
    expect(saved.status).toBe(200);
    const after = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: tokens.admin,
      body: question,
    });
    expect(after.body.answer.sources).toHaveLength(1);

    // Restore, so the other tests see the defaults; the restore is audited.
    const restored = await call(
      "POST",
      `/admin/inference-config/versions/${current.body.version}/restore`,
      { token: tokens.admin },
    );
    expect(restored.status).toBe(200);
    const audit = await call("GET", "/admin/audit-log?limit=2", {
      token: tokens.admin,
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      "inference-config.restore",
      "inference-config.update",
    ]);
  });

  it("applies an administrator's overrides to one message only", async () => {
    const session = await call("POST", "/sessions", {
      token: tokens.admin,
      body: {},
    });
    const tried = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: tokens.admin,
      body: {
        question: "What was said about education?",
        overrides: { retrieval: { k: 1 } },
      },
    });
    expect(tried.status).toBe(200);
    expect(tried.body.answer.sources).toHaveLength(1);
    const bad = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: tokens.admin,
      body: { question: "Education?", overrides: { retrieval: { k: 0 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([
      expect.objectContaining({ path: "overrides.retrieval.k" }),
    ]);
    // Who tried which overrides, in which session, is in the audit log.
    const audit = await call("GET", "/admin/audit-log", {
      token: tokens.admin,
    });
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: "chat.overrides",
        target: `session:${session.body.id}`,
        detail: { overrides: { retrieval: { k: 1 } } },
      }),
    );
    // Where a model lives is never changed for one message, streamed or not.
    for (const path of ["messages", "messages/stream"]) {
      const moved = await call("POST", `/sessions/${session.body.id}/${path}`, {
        token: tokens.admin,
        body: {
          question: "Education?",
          overrides: {
            models: { answer: { endpoint: "https://attacker.example.net/v1" } },
          },
        },
      });
      expect(moved.status, path).toBe(400);
      expect(moved.body.fields, path).toEqual([
        expect.objectContaining({ path: "overrides.models.answer.endpoint" }),
      ]);
    }
  });
});

describe("streaming", () => {
  it("streams the answer as NDJSON token events, then done with the stored messages and sources", async () => {
    const session = await call("POST", "/sessions", {
      token: tokens.user,
      body: {},
    });
    const response = await fetch(
      `${stack.apiUrl}/sessions/${session.body.id}/messages/stream`,
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${tokens.user}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({
          question: "What was said about the space program and Mars?",
        }),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const tokens_ = events.filter((e) => e.type === "token");
    const done = events[events.length - 1];
    expect(tokens_.length).toBeGreaterThan(0);
    expect(done.type).toBe("done");
    expect(tokens_.map((e) => e.text).join("")).toBe(done.answer.content);
    expect(done.answer.sources.length).toBeGreaterThan(0);
    const history = await call("GET", `/sessions/${session.body.id}/messages`, {
      token: tokens.user,
    });
    expect(history.body.items.map((m: { id: string }) => m.id)).toEqual([
      done.question.id,
      done.answer.id,
    ]);
  });

  it("answers errors found before streaming with ordinary statuses in the error shape", async () => {
    const missing = await call(
      "POST",
      `/sessions/${randomUUID()}/messages/stream`,
      { token: tokens.user, body: { question: "Hi?" } },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("NotFound");
    const session = await call("POST", "/sessions", {
      token: tokens.user,
      body: {},
    });
    const bad = await call(
      "POST",
      `/sessions/${session.body.id}/messages/stream`,
      { token: tokens.user, raw: "{" },
    );
    expect(bad.status).toBe(400);
    const overrides = await call(
      "POST",
      `/sessions/${session.body.id}/messages/stream`,
      {
        token: tokens.user,
        body: { question: "Hi?", overrides: { retrieval: { k: 1 } } },
      },
    );
    expect(overrides.status).toBe(403);
  });
});

describe("Idempotency-Key", () => {
  it("answers a retried question from the store, on either endpoint, and stores it once", async () => {
    const session = await call("POST", "/sessions", {
      token: tokens.user,
      body: {},
    });
    const path = `/sessions/${session.body.id}/messages`;
    const ask = {
      token: tokens.user,
      headers: { "Idempotency-Key": randomUUID() },
      body: { question: "What was said about the Louisiana purchase?" },
    };
    const first = await call("POST", path, ask);
    expect(first.status).toBe(200);
    const retry = await call("POST", path, ask);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    // The stream endpoint replays it as one done event, without tokens: one NDJSON line.
    const streamed = await call("POST", `${path}/stream`, ask);
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toBe("application/x-ndjson");
    expect(streamed.body).toEqual({ type: "done", ...first.body });
    const history = await call("GET", path, { token: tokens.user });
    expect(history.body.items.map((m: { id: string }) => m.id)).toEqual([
      first.body.question.id,
      first.body.answer.id,
    ]);
  });

  it("rejects a malformed key, or one reused for another question, with 400 naming it", async () => {
    const session = await call("POST", "/sessions", {
      token: tokens.user,
      body: {},
    });
    const path = `/sessions/${session.body.id}/messages`;
    for (const key of ["has space", "x".repeat(201), "café"]) {
      for (const endpoint of [path, `${path}/stream`]) {
        const bad = await call("POST", endpoint, {
          token: tokens.user,
          headers: { "Idempotency-Key": key },
          body: { question: "Hi?" },
        });
        expect(bad.status, `${endpoint} ${key}`).toBe(400);
        expect(bad.body.fields).toEqual([
          { path: "Idempotency-Key", message: expect.any(String) },
        ]);
      }
    }
    const key = randomUUID();
    await call("POST", path, {
      token: tokens.user,
      headers: { "Idempotency-Key": key },
      body: { question: "What about tariffs?" },
    });
    const reused = await call("POST", path, {
      token: tokens.user,
      headers: { "Idempotency-Key": key },
      body: { question: "What about canals?" },
    });
    expect(reused.status).toBe(400);
    expect(reused.body.fields).toEqual([
      { path: "Idempotency-Key", message: "was used for another question" },
    ]);
    const history = await call("GET", path, { token: tokens.user });
    expect(history.body.items).toHaveLength(2);
  });
});

describe("inference configuration", () => {
  it("lets exactly one of 20 concurrent PUTs with the same If-Match win: one 200, nineteen 412, one new version", async () => {
    const current = await call("GET", "/admin/inference-config", {
      token: tokens.admin,
    });
    const etag = current.headers.get("etag")!;
    const versionsBefore = (
      await call("GET", "/admin/inference-config/versions", {
        token: tokens.admin,
      })
    ).body.items.length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call("PUT", "/admin/inference-config", {
          token: tokens.admin,
          headers: { "If-Match": etag },
          body: { ...current.body.config, historyTurns: i + 1 },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(412)]);
    expect(responses.find((r) => r.status === 412)!.body.code).toBe(
      "PreconditionFailed",
    );
    const versionsAfter = (
      await call("GET", "/admin/inference-config/versions", {
        token: tokens.admin,
      })
    ).body.items.length;
    expect(versionsAfter).toBe(versionsBefore + 1);
  });

  it("rejects an invalid configuration with 400 naming each bad field, and a missing If-Match", async () => {
    const current = await call("GET", "/admin/inference-config", {
      token: tokens.admin,
    });
    const bad = {
      ...current.body.config,
      retrieval: { ...current.body.config.retrieval, k: 0, textWeight: 7 },
    };
    const invalid = await call("PUT", "/admin/inference-config", {
      token: tokens.admin,
      headers: { "If-Match": current.headers.get("etag")! },
      body: bad,
    });
    expect(invalid.status).toBe(400);
    expect(
      invalid.body.fields.map((f: { path: string }) => f.path).sort(),
    ).toEqual(["retrieval.k", "retrieval.textWeight"]);
    const noIfMatch = await call("PUT", "/admin/inference-config", {
      token: tokens.admin,
      body: current.body.config,
    });
    expect(noIfMatch.status).toBe(400);
    expect(noIfMatch.body.fields).toEqual([
      { path: "If-Match", message: "is required" },
    ]);
  });
});

describe("documents and users", () => {
  it("uploads a document through its upload URL, lists it with its chunks, and deletes it", async () => {
    const content =
      "The lighthouse keeper logged every passing zeppelin in a green ledger.";
    const url = await call("POST", "/admin/documents/upload-url", {
      token: tokens.admin,
      body: { filename: "ledger.txt", size: Buffer.byteLength(content) },
    });
    expect(url.status).toBe(201);
    const put = await fetch(url.body.url, { method: "PUT", body: content });
    expect(put.status).toBe(201);
    const found = await call("POST", "/search", {
      token: tokens.user,
      body: { query: "zeppelin ledger" },
    });
    const hit = found.body.results[0];
    expect(hit.title).toBe("Ledger");
    const doc = await call("GET", `/admin/documents/${hit.documentId}`, {
      token: tokens.admin,
    });
    expect(doc.body).toMatchObject({ status: "ready", chunkCount: 1 });
    // It goes by its place in the upload area, as its S3 key would on AWS; the file is in the data directory.
    expect(doc.body.source).toMatch(/^uploads\/[0-9a-f-]{36}\/ledger\.txt$/);
    const file = join(stack.dataDir, doc.body.source);
    expect(existsSync(file)).toBe(true);
    expect(
      (
        await call("DELETE", `/admin/documents/${hit.documentId}`, {
          token: tokens.admin,
        })
      ).status,
    ).toBe(204);
    const gone = await call("POST", "/search", {
      token: tokens.user,
      body: { query: "zeppelin ledger" },
    });
    expect(
      gone.body.results.map((r: { title: string }) => r.title),
    ).not.toContain("Ledger");
    // The uploaded file went with it: the next start's scan of the folder cannot bring it back.
    expect(existsSync(file)).toBe(false);
  });

  it("refuses uploads that are too large (413), outside the folder or of unknown types (400)", async () => {
    const big = await call("POST", "/admin/documents/upload-url", {
      token: tokens.admin,
      body: { filename: "a.pdf", size: 60 * 1024 * 1024 },
    });
    expect(big.status).toBe(413);
    for (const filename of [
      "../../etc/passwd.txt",
      "a/b.txt",
      "..",
      "run.exe",
    ]) {
      const bad = await call("POST", "/admin/documents/upload-url", {
        token: tokens.admin,
        body: { filename, size: 10 },
      });
      expect(bad.status, filename).toBe(400);
      expect(bad.body.fields[0].path).toBe("filename");
    }
  });

  it("demotes an administrator at their next request, though their token still says Administrators", async () => {
    const invited = await call("POST", "/admin/users", {
      token: tokens.admin,
      body: { username: "mae", email: "mae@example.com", administrator: true },
    });
    expect(invited.status).toBe(201);
    const mae = stack.users.find((u) => u.username === "mae")!;
    const maeToken = await requestDemoToken(
      stack.issuerUrl,
      "mae",
      mae.password,
    );
    const before = await call("GET", "/admin/inference-config", {
      token: maeToken,
    });
    expect(before.status).toBe(200);
    const demoted = await call("PATCH", `/admin/users/${invited.body.id}`, {
      token: tokens.admin,
      body: { administrator: false },
    });
    expect(demoted.body).toMatchObject({
      username: "mae",
      administrator: false,
    });
    // Past the per-process cache of the caller's access (USER_ACCESS_TTL_MS).
    await new Promise((r) => setTimeout(r, USER_ACCESS_TTL_MS + 100));
    const after = await call("GET", "/admin/inference-config", {
      token: maeToken,
    });
    expect(after.status).toBe(403);
    const me = await call("GET", "/me", { token: maeToken });
    expect(me.body).toMatchObject({ username: "mae", isAdministrator: false });
  });

  it("invites a user, and a disabled user loses access at the next request", async () => {
    const invited = await call("POST", "/admin/users", {
      token: tokens.admin,
      body: { username: "lin", email: "lin@example.com" },
    });
    expect(invited.status).toBe(201);
    const lin = stack.users.find((u) => u.username === "lin")!;
    const linToken = await requestDemoToken(
      stack.issuerUrl,
      "lin",
      lin.password,
    );
    expect((await call("GET", "/me", { token: linToken })).status).toBe(200);
    const disabled = await call("PATCH", `/admin/users/${invited.body.id}`, {
      token: tokens.admin,
      body: { enabled: false },
    });
    expect(disabled.body).toMatchObject({ username: "lin", enabled: false });
    await new Promise((r) => setTimeout(r, USER_ACCESS_TTL_MS + 100));
    // The token itself is still valid (as API Gateway's authorizer would find it): the handlers refuse.
    const refused = await call("GET", "/me", { token: linToken });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain("disabled");
    // The streaming operation, which checks access itself, refuses too.
    const session = await call("POST", "/sessions", {
      token: tokens.admin,
      body: {},
    });
    const streamed = await call(
      "POST",
      `/sessions/${session.body.id}/messages/stream`,
      { token: linToken, body: { question: "Anyone there?" } },
    );
    expect(streamed.status).toBe(401);
    const taken = await call("POST", "/admin/users", {
      token: tokens.admin,
      body: { username: "lin", email: "x@example.com" },
    });
    expect(taken.status).toBe(400);
  });
});

describe("evaluation sets (JSONL in and out, administrators only, audited)", () => {
  const jsonl =
    '{"question":"What did the president say about the Soviet Union?","expectedSources":["1983_ronald_reagan"]}\n' +
    '{"question":"What about health care?","expectedSources":["1994_william_j_clinton"],"expectedFacts":["universal coverage"]}\n';

  it("imports a set, lists it, exports the same JSONL, and deletes it", async () => {
    const saved = await call("PUT", "/admin/evaluations/sotu smoke", {
      token: tokens.admin,
      body: { jsonl },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      name: "sotu smoke",
      questionCount: 2,
      updatedBy: "admin",
    });
    const listed = await call("GET", "/admin/evaluations", {
      token: tokens.admin,
    });
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ name: "sotu smoke", questionCount: 2 }),
    );
    const exported = await call("GET", "/admin/evaluations/sotu smoke", {
      token: tokens.admin,
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(
      /application\/x-ndjson/,
    );
    const text =
      typeof exported.body === "string"
        ? exported.body
        : JSON.stringify(exported.body);
    expect(
      text
        .trim()
        .split("\n")
        .map((l: string) => JSON.parse(l)),
    ).toEqual(
      jsonl
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    );
    const audit = await call("GET", "/admin/audit-log?limit=1", {
      token: tokens.admin,
    });
    expect(audit.body.items[0]).toMatchObject({
      action: "evaluation-set.save",
      target: "sotu smoke",
      detail: { questions: 2, created: true },
    });
    expect(
      (
        await call("DELETE", "/admin/evaluations/sotu smoke", {
          token: tokens.admin,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call("GET", "/admin/evaluations/sotu smoke", {
          token: tokens.admin,
        })
      ).status,
    ).toBe(404);
  });

  it("refuses a bad set whole (400 naming each bad line), and a bad name", async () => {
    const bad = await call("PUT", "/admin/evaluations/broken", {
      token: tokens.admin,
      body: { jsonl: jsonl + '{"question":"no sources"}\nnot json\n' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([
      { path: "line 3: expectedSources", message: "Required" },
      { path: "line 4", message: "is not JSON" },
    ]);
    expect(
      (await call("GET", "/admin/evaluations/broken", { token: tokens.admin }))
        .status,
    ).toBe(404);
    const badName = await call("PUT", "/admin/evaluations/..%2Fetc", {
      token: tokens.admin,
      body: { jsonl },
    });
    expect(badName.status).toBe(400);
    expect(badName.body.fields[0].path).toBe("name");
  });
});

describe("evaluation runs and the quality gate (over HTTP, as the configuration editor calls them)", () => {
  const SET = "gate smoke";
  const poll = async (id: string) => {
    for (let i = 0; i < 60; i++) {
      const run = await call("GET", `/admin/evaluations/runs/${id}`, {
        token: tokens.admin,
      });
      expect(run.status).toBe(200);
      if (run.body.status !== "running") return run.body;
    }
    throw new Error("the run did not finish");
  };

  it("runs a draft against the current version in the background, and under the gate refuses the worse draft and saves one no worse", async () => {
    for (const q of DEMO_EVALUATION_SET.questions)
      expect(
        (
          await call("POST", `/admin/evaluations/${SET}/questions`, {
            token: tokens.admin,
            body: q,
          })
        ).status,
      ).toBe(200);
    const current = await call("GET", "/admin/inference-config", {
      token: tokens.admin,
    });
    const worse = {
      ...current.body.config,
      retrieval: { ...current.body.config.retrieval, k: 1 },
    };
    const started = await call("POST", `/admin/evaluations/${SET}/runs`, {
      token: tokens.admin,
      body: { draft: worse },
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: "running",
      done: 0,
      total: 5,
    });
    const run = await poll(started.body.id);
    expect(run).toMatchObject({ status: "done", done: 5 });
    expect(run.current.k).toBe(current.body.config.retrieval.k);
    // One passage instead of five: a question whose source ranked 2nd to 5th is lost.
    expect(run.delta.hitAtK).toBeLessThan(0);
    expect(run.worse.length).toBeGreaterThan(0);
    expect(run.current.judge.faithfulness).toMatchObject({ status: "not run" });

    process.env.SEXTANT_QUALITY_GATE = "retrieval";
    try {
      const save = (config: unknown, runId?: string) =>
        call("PUT", "/admin/inference-config", {
          token: tokens.admin,
          body: config,
          headers: {
            "If-Match": current.headers.get("etag")!,
            ...(runId ? { "Sextant-Evaluation-Run": runId } : {}),
          },
        });
      const unevaluated = await save(worse);
      expect(unevaluated.status).toBe(400);
      expect(unevaluated.body.fields[0]).toMatchObject({
        path: "evaluationRun",
        message: expect.stringMatching(/evaluate the draft/),
      });
      const refused = await save(worse, run.id);
      expect(refused.status).toBe(400);
      expect(refused.body.fields[0].message).toMatch(
        /on set 'gate smoke', the draft's hit@5 is [\d.]+ against [\d.]+/,
      );
      const same = { ...current.body.config, historyTurns: 5 };
      const fair = await call("POST", `/admin/evaluations/${SET}/runs`, {
        token: tokens.admin,
        body: { draft: same },
      });
      const fairRun = await poll(fair.body.id);
      expect(fairRun.delta).toEqual({ hitAtK: 0, mrr: 0, ndcg: 0 });
      const saved = await save(same, fairRun.id);
      expect(saved.status).toBe(200);
      const versions = await call(
        "GET",
        `/admin/assistants/${DEFAULT_ASSISTANT}/versions`,
        {
          token: tokens.admin,
        },
      );
      expect(versions.body.items[0]).toMatchObject({
        version: saved.body.version,
        scores: [expect.objectContaining({ setName: SET, runId: fairRun.id })],
      });
      // Put the demo's configuration back (a restore is never gated).
      const back = await call(
        "POST",
        `/admin/inference-config/versions/${current.body.version}/restore`,
        { token: tokens.admin },
      );
      expect(back.status).toBe(200);
    } finally {
      delete process.env.SEXTANT_QUALITY_GATE;
    }
  });

  it("answers 404 for a run or set that does not exist, and 400 naming a bad question's field", async () => {
    expect(
      (
        await call("GET", "/admin/evaluations/runs/not-a-run", {
          token: tokens.admin,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call("POST", "/admin/evaluations/no such set/runs", {
          token: tokens.admin,
          body: {},
        })
      ).status,
    ).toBe(404);
    const bad = await call("POST", `/admin/evaluations/${SET}/questions`, {
      token: tokens.admin,
      body: { question: "q", expectedSources: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0]).toMatchObject({ path: "expectedSources" });
  });
});

describe("quotas over HTTP (the 429 contract)", () => {
  it("lets an administrator set quotas with If-Match; over one, a user's next question is 429 with the limit, its reset and Retry-After, on both endpoints, and nothing is stored", async () => {
    const current = await call("GET", "/admin/quotas", { token: tokens.admin });
    expect(current.status, JSON.stringify(current.body)).toBe(200);
    const etag = current.headers.get("etag")!;
    const set = (quotas: unknown, ifMatch: string) =>
      call("PUT", "/admin/quotas", {
        token: tokens.admin,
        headers: { "If-Match": ifMatch },
        body: quotas,
      });
    const bad = await set({ default: { messagesPerDay: 0 } }, etag);
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toBe("default.messagesPerDay");
    expect(
      (await call("PUT", "/admin/quotas", { token: tokens.user, body: {} }))
        .status,
    ).toBe(403);
    // One more question than `user` asked today in the tests before this one.
    const { rows } = await stack.db.query<{ asked: number }>(
      "SELECT coalesce(sum(messages), 0)::int AS asked FROM usage_counters WHERE username = 'user' AND day = (now() AT TIME ZONE 'UTC')::date",
    );
    const saved = await set(
      { users: { user: { messagesPerDay: rows[0].asked + 1 } } },
      etag,
    );
    expect(saved.status).toBe(200);
    expect((await set({}, etag)).status).toBe(412);
    try {
      const session = await call("POST", "/sessions", {
        token: tokens.user,
        body: {},
      });
      const path = `/sessions/${session.body.id}/messages`;
      const first = await call("POST", path, {
        token: tokens.user,
        body: { question: "What about the economy?" },
      });
      expect(first.status).toBe(200);
      for (const endpoint of [path, `${path}/stream`]) {
        const refused = await call("POST", endpoint, {
          token: tokens.user,
          body: { question: "And the tariff?" },
        });
        expect(refused.status).toBe(429);
        expect(refused.body).toEqual({
          code: "TooManyRequests",
          message: expect.stringContaining("daily limit"),
          limit: "messagesPerDay",
          resetsAt: expect.stringMatching(/T00:00:00\.000Z$/),
        });
        const retryAfter = Number(refused.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(86_400);
      }
      const allowance = await call("GET", "/me/allowance", {
        token: tokens.user,
      });
      expect(allowance.body.items).toEqual([
        {
          limit: "messagesPerDay",
          max: rows[0].asked + 1,
          used: rows[0].asked + 1,
          resetsAt: expect.stringMatching(/T00:00:00\.000Z$/),
        },
      ]);
      const messages = await call("GET", `${path}?limit=50`, {
        token: tokens.user,
      });
      expect(messages.body.items).toHaveLength(2);
      // Another user's allowance is their own.
      const analyst = await call("POST", "/sessions", {
        token: tokens.analyst,
        body: {},
      });
      expect(
        (
          await call("POST", `/sessions/${analyst.body.id}/messages`, {
            token: tokens.analyst,
            body: { question: "What about the economy?" },
          })
        ).status,
      ).toBe(200);
    } finally {
      await set({}, saved.headers.get("etag")!);
    }
  });

  it("reports usage by user, and exports the same figures as CSV", async () => {
    const json = await call("GET", "/admin/usage?groupBy=user", {
      token: tokens.admin,
    });
    expect(json.status).toBe(200);
    const mine = json.body.buckets.find((b: any) => b.key === "user");
    expect(mine.messages).toBeGreaterThan(0);
    const csv = await call("GET", "/admin/usage/export?groupBy=user", {
      token: tokens.admin,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, ...rows] = String(csv.body).split("\r\n");
    expect(header.split(",")).toEqual([
      "user",
      "label",
      "inputTokens",
      "outputTokens",
      "messages",
      "calls",
      "costUsd",
      "unpricedCalls",
    ]);
    expect(rows.map((r) => r.split(","))).toEqual(
      json.body.buckets.map((b: any) =>
        [
          b.key,
          b.label ?? "",
          b.inputTokens,
          b.outputTokens,
          b.messages,
          b.calls,
          b.costUsd,
          b.unpricedCalls,
        ].map(String),
      ),
    );
    const bad = await call("GET", "/admin/usage?from=2026-02-30x", {
      token: tokens.admin,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toBe("from");
    expect(
      (await call("GET", "/admin/usage", { token: tokens.user })).status,
    ).toBe(403);
  });
});

describe("hostile and malformed requests never get a 500", () => {
  const withBodies = Object.values(OPERATIONS).filter(
    (op) => DECISIONS[op.operationId].body,
  );

  it.each(withBodies)(
    "$method $path: any JSON body gets a 2xx or a 4xx in the error shape",
    async (op) => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
          const response = await call(op.method, concretePath(op.path), {
            token: tokens.admin,
            raw: JSON.stringify(body),
            headers: { "If-Match": '"0"' },
          });
          expectErrorShape(response.status, response.body);
        }),
        { numRuns: 25 },
      );
    },
  );

  it("answers bodies that are not JSON, oversized bodies and bad page parameters with 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (raw) => {
        fc.pre(raw !== "" && !isJson(raw));
        const response = await call("POST", "/sessions", {
          token: tokens.user,
          raw,
        });
        expect(response.status).toBe(400);
        expectErrorShape(response.status, response.body);
      }),
      { numRuns: 30 },
    );
    const huge = await call("POST", "/sessions", {
      token: tokens.user,
      raw: JSON.stringify({ title: "x".repeat(2_000_000) }),
    });
    expect(huge.status).toBe(413);
    for (const query of [
      "limit=0",
      "limit=101",
      "limit=abc",
      "limit=1.5",
      "cursor=%00%ff",
      "cursor=bm90IGEgY3Vyc29y",
    ]) {
      const response = await call("GET", `/sessions?${query}`, {
        token: tokens.user,
      });
      expect(response.status, query).toBe(400);
      expectErrorShape(response.status, response.body);
    }
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("no API response names a server path (issue 25)", () => {
  it("walks every operation's responses over the demo store, with a citation, an upload and a download among them", async () => {
    const admin = tokens.admin;
    const responses: { op: string; text: string }[] = [];
    const record = (op: string, body: unknown) =>
      responses.push({
        op,
        text: typeof body === "string" ? body : JSON.stringify(body),
      });

    // Data for every path parameter: a session with an answer, a document, an upload.
    const session = await call("POST", "/sessions", { token: admin, body: {} });
    const asked = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: admin,
      body: { question: "What did the president say about the Soviet Union?" },
    });
    expect(asked.status).toBe(200);
    record("postMessage", asked.body);
    const streamed = await call(
      "POST",
      `/sessions/${session.body.id}/messages/stream`,
      {
        token: admin,
        body: { question: "And about the economy?" },
      },
    );
    record("streamMessage", streamed.body);
    record(
      "searchDocuments",
      (
        await call("POST", "/search", {
          token: admin,
          body: { query: "economy", k: 3 },
        })
      ).body,
    );
    const uploadUrl = await call("POST", "/admin/documents/upload-url", {
      token: admin,
      body: { filename: "harbour-notes.txt", size: 27 },
    });
    record("createUploadUrl", uploadUrl.body);
    const put = await fetch(uploadUrl.body.url, {
      method: "PUT",
      body: "The ferry leaves at noon.\n\n",
    });
    record("upload (PUT)", await put.text());
    const documents = await call("GET", "/admin/documents?limit=100", {
      token: admin,
    });
    const document = documents.body.items.find((d: { source: string }) =>
      d.source.startsWith("state-of-the-union/"),
    );
    expect(document).toBeDefined();
    const answer = asked.body.answer ?? asked.body.messages?.[1] ?? asked.body;
    const messageId = answer.id ?? randomUUID();
    const ids: Record<string, string> = {
      sessionId: session.body.id,
      messageId,
      documentId: document.id,
      collectionId: document.collectionId,
      assistantId: DEFAULT_ASSISTANT,
      version: "1",
      name: DEMO_EVALUATION_SET.name,
      userId: "user",
      runId: randomUUID(),
    };
    for (const op of Object.values(OPERATIONS)) {
      if (op.method.toUpperCase() !== "GET") continue;
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(ids[name] ?? randomUUID()),
      );
      const answered = await call("GET", path, { token: admin });
      expect(
        answered.status,
        `${op.operationId}: ${JSON.stringify(answered.body)}`,
      ).toBeLessThan(500);
      record(op.operationId, answered.body);
    }
    // The download link names the document, never where its file is; and it delivers the file.
    const download = await call("GET", `/documents/${document.id}/download`, {
      token: admin,
    });
    expect(download.status).toBe(200);
    const file = await fetch(download.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toContain(
      `filename="${document.fileName}"`,
    );
    expect((await file.text()).length).toBe(document.sizeBytes);

    const serverPaths = [
      stack.dataDir,
      process.cwd(),
      tmpdir(),
      sotuDataDir(),
      dirname(WEBSITE_DIST),
    ];
    for (const { op, text } of responses) {
      for (const path of serverPaths) expect(text, op).not.toContain(path);
      // No string value that is an absolute path to a file.
      expect(text, op).not.toMatch(
        /"(?:\/|[A-Za-z]:\\\\)[^"]*\/[^"]+\.[a-z]{2,5}"/,
      );
    }
    expect(responses.length).toBeGreaterThan(25);
  }, 120_000);
});
