import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ensureCollection,
  ingestFiles,
  LocalEmbedder,
  readableCollections,
} from "@sextant/core/rag";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoUser } from "./demo-users.js";
import { WEBSITE_DIST } from "./paths.js";
import { startEphemeralStack } from "./stack.js";
import { apiCaller, demoTokens, uploadDocument } from "./test-support.js";
import { requestDemoToken } from "./token.js";

/**
 * Permission-aware retrieval, tried to be broken over real HTTP with real JWTs from the local
 * issuer: random groups, collections with random grants, users in random groups. Each collection's
 * documents hold marker words found nowhere else: some the questions use, others ("hidden") only
 * the documents and their titles hold. Every user asks, through `/messages`, `/messages/stream`
 * and `/search`, questions made of each collection's markers. From a collection the user cannot
 * read, not one hidden marker, title or document id may come back (the question's own words may:
 * they are the user's); from one they can, the hidden markers must (or the test could not tell).
 * The draw is seeded (`SEXTANT_LEAK_SEED` replays one), and printed.
 */
const SEED = Number(process.env.SEXTANT_LEAK_SEED ?? 20261130);
const GROUPS = ["g-red", "g-green", "g-blue", "g-amber"];
const COLLECTIONS = 5;
const USERS = 6;
const DOCUMENTS_PER_COLLECTION = 3;

/** A word found nowhere else: the `n`th of 512, spelled in syllables ("quvorzel"). */
const SYLLABLES = ["qu", "vor", "zel", "bryn", "thax", "ulm", "kiv", "drel"];
const marker = (n: number) =>
  [64, 8, 1].map((d) => SYLLABLES[Math.floor(n / d) % 8]).join("");

/** The draw: each collection's grants, each user's groups (fast-check, seeded). */
const [drawn] = fc.sample(
  fc.record({
    collections: fc.array(
      fc.record({
        readGroups: fc.subarray(GROUPS),
        everyone: fc.oneof(
          { weight: 1, arbitrary: fc.constant(true) },
          { weight: 6, arbitrary: fc.constant(false) },
        ),
      }),
      { minLength: COLLECTIONS, maxLength: COLLECTIONS },
    ),
    users: fc.array(fc.subarray(GROUPS), {
      minLength: USERS,
      maxLength: USERS,
    }),
  }),
  { seed: SEED, numRuns: 1 },
);

interface Drawn {
  readonly name: string;
  readonly readGroups: string[];
  readonly everyone: boolean;
  readonly markers: string[];
  /** In the documents and their titles only, never in a question. */
  readonly hidden: string[];
  id?: string;
  documentIds?: string[];
}
const collections: Drawn[] = drawn.collections.map((c, i) => ({
  name: `Leak ${i}`,
  readGroups: c.readGroups,
  everyone: c.everyone,
  markers: [0, 1, 2].map((m) => marker(i * 6 + m)),
  hidden: [3, 4, 5].map((m) => marker(i * 6 + m)),
}));
const users = drawn.users.map((groups, i) => ({
  username: `leak-user-${i}`,
  groups,
}));

let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let call: ReturnType<typeof apiCaller>;
const tokens = new Map<string, string>();
let files: string;

const readable = (c: Drawn, groups: readonly string[]) =>
  c.everyone || c.readGroups.some((g) => groups.includes(g));

beforeAll(async () => {
  console.log(
    `collections leakage draw, seed ${SEED}: ${JSON.stringify({ collections, users })}`,
  );
  stack = await startEphemeralStack(WEBSITE_DIST, { seedDemoCorpus: false });
  call = apiCaller(stack.apiUrl);
  files = mkdtempSync(join(tmpdir(), "sextant-leak-"));
  const embedder = new LocalEmbedder();
  for (const c of collections) {
    c.id = (
      await ensureCollection(stack.db, c.name, {
        readGroups: c.readGroups,
        everyone: c.everyone,
      })
    ).id;
    const paths = Array.from({ length: DOCUMENTS_PER_COLLECTION }, (_, d) => {
      const path = join(files, `${c.hidden[d]}-notes.txt`);
      writeFileSync(
        path,
        `The ${c.markers[0]} ledger records the ${c.markers[1]} survey and the ${c.markers[2]} budget. ` +
          `It was signed by ${c.hidden[0]} and ${c.hidden[1]} of ${c.hidden[2]}. Harbour dues were paid on time.`,
      );
      return path;
    });
    await ingestFiles(stack.db, embedder, paths, { collectionId: c.id });
    const { rows } = await stack.db.query<{ id: string }>(
      "SELECT id FROM documents WHERE collection_id = $1",
      [c.id],
    );
    c.documentIds = rows.map((r) => r.id);
  }
  // Users of the identity provider, in their groups (as Cognito's would be): real tokens.
  for (const u of users) {
    const password = `pw-${u.username}-${SEED}`;
    (stack.users as DemoUser[]).push({
      sub: `sub-${u.username}`,
      username: u.username,
      email: `${u.username}@example.com`,
      password,
      groups: u.groups,
    });
    tokens.set(
      u.username,
      await requestDemoToken(stack.issuerUrl, u.username, password),
    );
  }
}, 180_000);

afterAll(async () => {
  await stack?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

/** Everything a route answers a user's question with, as the raw text of the response. */
async function responsesTo(token: string, question: string): Promise<string> {
  const session = await call("POST", "/sessions", { token, body: {} });
  expect(session.status).toBe(201);
  const posted = await call("POST", `/sessions/${session.body.id}/messages`, {
    token,
    body: { question },
  });
  expect(posted.status).toBe(200);
  const streamed = await fetch(
    `${stack.apiUrl}/sessions/${session.body.id}/messages/stream`,
    {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ question }),
    },
  );
  expect(streamed.status).toBe(200);
  const searched = await call("POST", "/search", {
    token,
    body: { query: question },
  });
  expect(searched.status).toBe(200);
  const history = await call("GET", `/sessions/${session.body.id}/messages`, {
    token,
  });
  return [
    JSON.stringify(posted.body),
    await streamed.text(),
    JSON.stringify(searched.body),
    JSON.stringify(history.body),
  ].join("\n");
}

describe("collections: nothing from an unreadable collection reaches a user (property-based over HTTP)", () => {
  it("draws users who can read some collections and not others (or the test would prove nothing)", () => {
    const pairs = users.flatMap((u) =>
      collections.map((c) => readable(c, u.groups)),
    );
    expect(pairs).toContain(true);
    expect(pairs).toContain(false);
  });

  it("the database's own rule agrees with the drawn grants", async () => {
    for (const u of users)
      expect((await readableCollections(stack.db, u.groups)).sort()).toEqual(
        [
          ...collections.filter((c) => readable(c, u.groups)).map((c) => c.id),
          // Every store has "General", granted to everyone.
          "00000000-0000-4000-8000-000000000001",
        ].sort(),
      );
  });

  it("through /messages, /messages/stream, /search and the stored history: no marker, title or document id of an unreadable collection; the readable ones are found", async () => {
    for (const u of users) {
      const token = tokens.get(u.username)!;
      for (const c of collections) {
        const text = await responsesTo(
          token,
          `What do the ${c.markers.join(" and ")} records say?`,
        );
        if (readable(c, u.groups)) {
          expect(text, `${u.username} reads ${c.name}`).toContain(c.hidden[0]);
        } else {
          for (const secret of [...c.hidden, ...c.documentIds!])
            expect(
              text.includes(secret),
              `${u.username} (${u.groups.join(",") || "no groups"}) got '${secret}' of ${c.name} (${c.readGroups.join(",")})`,
            ).toBe(false);
        }
      }
    }
  }, 180_000);

  it("the documents API stays closed to users who are not administrators", async () => {
    const token = tokens.get(users[0].username)!;
    expect((await call("GET", "/admin/documents", { token })).status).toBe(403);
    expect(
      (
        await call(
          "GET",
          `/admin/documents/${collections[0].documentIds![0]}`,
          { token },
        )
      ).status,
    ).toBe(403);
  });

  it("a grant removed counts from the user's next question", async () => {
    const { analyst } = await demoTokens(stack);
    const target = collections[0];
    await ensureCollection(stack.db, target.name, { readGroups: ["Analysts"] });
    const question = `What do the ${target.markers.join(" and ")} records say?`;
    expect(await responsesTo(analyst, question)).toContain(target.hidden[0]);
    await ensureCollection(stack.db, target.name, { readGroups: [] });
    const after = await responsesTo(analyst, question);
    for (const secret of target.hidden)
      expect(after.includes(secret), secret).toBe(false);
    // The drawn grants again, for the tests that follow.
    await ensureCollection(stack.db, target.name, {
      readGroups: target.readGroups,
      everyone: target.everyone,
    });
  }, 60_000);
});

describe("the collections admin API (administrators only, audited)", () => {
  it("creates, lists, re-grants and deletes a collection; refuses what would lose documents", async () => {
    const { admin } = await demoTokens(stack);
    const created = await call("POST", "/admin/collections", {
      token: admin,
      body: { name: "Board minutes", readGroups: ["Board"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Board minutes",
      readGroups: ["Board"],
      everyone: false,
      documentCount: 0,
    });
    const id = created.body.id;
    const listed = await call("GET", "/admin/collections", { token: admin });
    expect(listed.body.items.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(["General", "Board minutes", "Leak 0"]),
    );
    const regranted = await call("PATCH", `/admin/collections/${id}`, {
      token: admin,
      body: { readGroups: ["Board", "Audit"] },
    });
    expect(regranted.status).toBe(200);
    const audit = await call("GET", "/admin/audit-log?limit=1", {
      token: admin,
    });
    expect(audit.body.items[0]).toMatchObject({
      action: "collection.update",
      target: id,
      detail: { readGroups: { from: ["Board"], to: ["Board", "Audit"] } },
    });
    const empty = await call("PATCH", `/admin/collections/${id}`, {
      token: admin,
      body: {},
    });
    expect(empty.status).toBe(400);
    const taken = await call("POST", "/admin/collections", {
      token: admin,
      body: { name: "Board minutes" },
    });
    expect(taken.status).toBe(400);
    expect(taken.body.fields).toEqual([{ path: "name", message: "is taken" }]);
    const holding = await call(
      "DELETE",
      `/admin/collections/${collections[0].id}`,
      { token: admin },
    );
    expect(holding.status).toBe(400);
    expect(holding.body.message).toMatch(/holds 3 documents/);
    expect(
      (await call("DELETE", `/admin/collections/${id}`, { token: admin }))
        .status,
    ).toBe(204);
    expect(
      (await call("DELETE", `/admin/collections/${id}`, { token: admin }))
        .status,
    ).toBe(404);
  });
});

describe("assistants: their collections, as far as each asker reads them (over HTTP)", () => {
  it("an assistant over some collections answers only from those its asker reads; one the asker may not use is refused", async () => {
    const { admin } = await demoTokens(stack);
    const over = collections.slice(0, 2);
    const created = await call("POST", "/admin/assistants", {
      token: admin,
      body: {
        name: "Leak assistant",
        collectionIds: over.map((c) => c.id),
        everyone: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    for (const u of users) {
      const token = tokens.get(u.username)!;
      const session = await call("POST", "/sessions", {
        token,
        body: { assistantId: created.body.id },
      });
      expect(session.body).toMatchObject({
        assistantId: created.body.id,
        assistantName: "Leak assistant",
      });
      for (const c of collections) {
        const question = `What do the ${c.markers.join(" and ")} records say?`;
        const asked = await call(
          "POST",
          `/sessions/${session.body.id}/messages`,
          { token, body: { question } },
        );
        const searched = await call("POST", "/search", {
          token,
          body: { query: question, assistantId: created.body.id },
        });
        const text = JSON.stringify([asked.body, searched.body]);
        const allowed = over.includes(c) && readable(c, u.groups);
        if (allowed)
          expect(text, `${u.username}, ${c.name}`).toContain(c.hidden[0]);
        else
          for (const secret of [...c.hidden, ...c.documentIds!])
            expect(
              text.includes(secret),
              `${u.username}: ${secret} of ${c.name}`,
            ).toBe(false);
      }
    }
  }, 180_000);

  it("a user removed from a group in the directory loses its collections at the next question, with the same token", async () => {
    const target = collections[1];
    const insider = { username: "leak-insider", groups: ["g-insider"] };
    await ensureCollection(stack.db, target.name, {
      readGroups: [...target.readGroups, "g-insider"],
      everyone: target.everyone,
    });
    const password = `pw-insider-${SEED}`;
    const account: DemoUser = {
      sub: "sub-leak-insider",
      username: insider.username,
      email: "insider@example.com",
      password,
      groups: insider.groups,
    };
    (stack.users as DemoUser[]).push(account);
    const token = await requestDemoToken(
      stack.issuerUrl,
      insider.username,
      password,
    );
    const question = `What do the ${target.markers.join(" and ")} records say?`;
    expect(await responsesTo(token, question)).toContain(target.hidden[0]);
    // The directory (Cognito's stand-in) drops the group; the token still carries it.
    Object.assign(account, { groups: [] });
    const after = await responsesTo(token, question);
    for (const secret of target.hidden)
      expect(after.includes(secret), secret).toBe(false);
  }, 60_000);
});

describe("the assistants API", () => {
  it("lists to each user the assistants they may use, and starts conversations only with those", async () => {
    const { user, analyst, admin } = await demoTokens(stack);
    const names = async (token: string) =>
      (await call("GET", "/assistants", { token })).body.items.map(
        (a: { name: string }) => a.name,
      );
    const analysts = await call("POST", "/admin/assistants", {
      token: admin,
      body: {
        name: "Analysts only",
        allCollections: true,
        groups: ["Analysts"],
      },
    });
    expect(await names(analyst)).toContain("Analysts only");
    expect(await names(user)).not.toContain("Analysts only");
    const refused = await call("POST", "/sessions", {
      token: user,
      body: { assistantId: analysts.body.id },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([
      { path: "assistantId", message: "is not an assistant you may use" },
    ]);
    // Analysts' use taken away: the analyst's conversation with it is refused at the next question.
    const session = await call("POST", "/sessions", {
      token: analyst,
      body: { assistantId: analysts.body.id },
    });
    expect(session.status).toBe(201);
    const revoked = await call("PUT", `/admin/assistants/${analysts.body.id}`, {
      token: admin,
      headers: { "If-Match": '"1"' },
      body: { name: "Analysts only", allCollections: true, groups: [] },
    });
    expect(revoked.status).toBe(200);
    const asked = await call("POST", `/sessions/${session.body.id}/messages`, {
      token: analyst,
      body: { question: "What about the budget?" },
    });
    expect(asked.status).toBe(403);
    expect(asked.body.message).toMatch(
      /no longer use the assistant 'Analysts only'/,
    );
  });

  it("saves versions with ETag and If-Match (412 when stale), keeps their history, and restores a configuration", async () => {
    const { admin } = await demoTokens(stack);
    const created = await call("POST", "/admin/assistants", {
      token: admin,
      body: { name: "Versioned", everyone: true },
    });
    const id = created.body.id;
    const k = created.body.config.retrieval.k;
    const fetched = await call("GET", `/admin/assistants/${id}`, {
      token: admin,
    });
    expect(fetched.headers.get("etag")).toBe('"1"');
    const saved = await call("PUT", `/admin/assistants/${id}`, {
      token: admin,
      headers: { "If-Match": '"1"' },
      body: {
        name: "Versioned",
        everyone: true,
        config: {
          ...created.body.config,
          retrieval: { ...created.body.config.retrieval, k: k + 1 },
        },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.get("etag")).toBe('"2"');
    const stale = await call("PUT", `/admin/assistants/${id}`, {
      token: admin,
      headers: { "If-Match": '"1"' },
      body: { name: "Stale", everyone: true },
    });
    expect(stale.status).toBe(412);
    const missing = await call("PUT", `/admin/assistants/${id}`, {
      token: admin,
      body: { name: "No If-Match" },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.fields[0].path).toBe("If-Match");
    const restored = await call(
      "POST",
      `/admin/assistants/${id}/versions/1/restore`,
      { token: admin },
    );
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      version: 3,
      config: { retrieval: { k } },
    });
    const versions = await call("GET", `/admin/assistants/${id}/versions`, {
      token: admin,
    });
    expect(
      versions.body.items.map((v: { version: number }) => v.version),
    ).toEqual([3, 2, 1]);
    const audit = await call("GET", "/admin/audit-log?limit=3", {
      token: admin,
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      "assistant.restore",
      "assistant.update",
      "assistant.create",
    ]);
    expect(audit.body.items[1].detail.changes).toEqual([
      { path: "config.retrieval.k", from: k, to: k + 1 },
    ]);
    const unknown = await call("GET", "/admin/assistants/not-an-id", {
      token: admin,
    });
    expect(unknown.status).toBe(404);
  });
});

describe("documents in collections (the documents API)", () => {
  it("uploads into the named collection, lists and filters by collection, and moves a document with every passage", async () => {
    const { admin, analyst, user } = await demoTokens(stack);
    const board = await call("POST", "/admin/collections", {
      token: admin,
      body: { name: "Board papers", readGroups: ["Analysts"] },
    });
    await uploadDocument(
      call,
      admin,
      "quarzelbrynn-minutes.txt",
      "The quarzelbrynn committee approved the lighthouse budget for the northern harbour.",
      board.body.id,
    );
    const listed = await call(
      "GET",
      `/admin/documents?collectionId=${board.body.id}`,
      { token: admin },
    );
    expect(listed.body.items).toMatchObject([
      {
        title: "Quarzelbrynn minutes",
        collectionId: board.body.id,
        collectionName: "Board papers",
        status: "ready",
      },
    ]);
    const doc = listed.body.items[0];
    const found = async (token: string) =>
      JSON.stringify(
        (
          await call("POST", "/search", {
            token,
            body: { query: "quarzelbrynn committee" },
          })
        ).body,
      ).includes(doc.id);
    expect(await found(analyst)).toBe(true);
    expect(await found(user)).toBe(false);

    const unknown = await call("PATCH", `/admin/documents/${doc.id}`, {
      token: admin,
      body: { collectionId: "ffffffff-ffff-4fff-8fff-ffffffffffff" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual([
      { path: "collectionId", message: "is not a collection" },
    ]);
    const moved = await call("PATCH", `/admin/documents/${doc.id}`, {
      token: admin,
      body: { collectionId: collections[0].id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.collectionName).toBe(collections[0].name);
    // Every passage moved with it, in the same transaction.
    const { rows } = await stack.db.query<{ collection_id: string }>(
      "SELECT DISTINCT collection_id FROM chunks WHERE document_id = $1",
      [doc.id],
    );
    expect(rows).toEqual([{ collection_id: collections[0].id }]);
    const audit = await call("GET", "/admin/audit-log?limit=1", {
      token: admin,
    });
    expect(audit.body.items[0]).toMatchObject({
      action: "document.move",
      detail: { collectionId: { from: board.body.id, to: collections[0].id } },
    });
    const badFilter = await call("GET", "/admin/documents?collectionId=x", {
      token: admin,
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.fields[0].path).toBe("collectionId");
    const badUpload = await call("POST", "/admin/documents/upload-url", {
      token: admin,
      body: {
        filename: "a.txt",
        size: 3,
        collectionId: "ffffffff-ffff-4fff-8fff-ffffffffffff",
      },
    });
    expect(badUpload.status).toBe(400);
    expect(badUpload.body.fields).toEqual([
      { path: "collectionId", message: "is not a collection" },
    ]);
  });
});
