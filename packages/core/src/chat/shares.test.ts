import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postMessage } from "./messages";
import { createSession } from "./sessions";
import {
  listShares,
  revokeShare,
  shareRequest,
  shareSession,
  sharedConversation,
} from "./shares";
import { ensureCollection } from "../collections/collections";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { NotFoundError } from "../errors";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import { ingestFiles } from "../ingest/ingest";

let dir: string;
let store: OpenDatabase;
const embedder = new LocalEmbedder();
const ada = {
  id: "ada-sub",
  username: "ada",
  groups: ["Analysts"],
  isAdministrator: false,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-shares-"));
  mkdirSync(join(dir, "open"));
  mkdirSync(join(dir, "restricted"));
  writeFileSync(
    join(dir, "open", "canal.txt"),
    "The Erie canal was finished in 1825 and carried grain.",
  );
  writeFileSync(
    join(dir, "restricted", "base.txt"),
    "The submarine base at Holy Loch closed in 1992 after thirty years.",
  );
  store = await openDatabase(undefined, "");
  const everyone = await ensureCollection(store.db, "Open", { everyone: true });
  const analysts = await ensureCollection(store.db, "Restricted", {
    readGroups: ["Analysts"],
  });
  await ingestFiles(store.db, embedder, [join(dir, "open")], {
    collectionId: everyone.id,
  });
  await ingestFiles(store.db, embedder, [join(dir, "restricted")], {
    collectionId: analysts.id,
  });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function conversation() {
  const session = await createSession(store.db, ada.id, "Canal and base");
  for (const question of [
    "When was the Erie canal finished?",
    "When did the submarine base at Holy Loch close?",
  ])
    await postMessage(
      { db: store.db, embedder },
      {
        owner: ada.id,
        sessionId: session.id,
        question,
        config: DEFAULT_INFERENCE_CONFIG,
        collections: "all",
      },
    );
  return session;
}

describe("a conversation shared read-only (embedded Postgres)", () => {
  it("opens for the users and groups it is shared with; an answer citing a collection the viewer may not read is withheld, text and all; everyone else gets 404", async () => {
    const session = await conversation();
    await shareSession(
      store.db,
      ada,
      session.id,
      shareRequest.parse({ users: ["grace"], groups: ["Analysts"] }),
    );

    const grace = await sharedConversation(
      store.db,
      { username: "grace", groups: [] },
      session.id,
    );
    expect(grace.sharedBy).toBe("ada");
    expect(grace.messages.map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(grace.messages[1].content).toContain("1825");
    expect(grace.messages[1].sources[0].title).toBe("Canal");
    expect(grace.messages[1].sources[0].withheld).toBeUndefined();
    // The answer citing the restricted collection: nothing of it reaches grace.
    expect(grace.messages[3].content).toBe(
      "This answer cites documents you may not read, so it is withheld.",
    );
    expect(
      grace.messages[3].sources.every(
        (s) => s.withheld && s.text === "" && s.documentId === "",
      ),
    ).toBe(true);
    expect(JSON.stringify(grace.messages.slice(3))).not.toMatch(
      /Holy Loch closed|base\.txt/,
    );

    // An analyst (shared by group) reads the restricted collection: nothing withheld.
    const ivy = await sharedConversation(
      store.db,
      { username: "ivy", groups: ["Analysts"] },
      session.id,
    );
    expect(ivy.messages[3].content).toContain("1992");

    for (const viewer of [
      { username: "hal", groups: ["Sales"] },
      { username: "ada", groups: [] },
    ])
      await expect(
        sharedConversation(store.db, viewer, session.id),
      ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets only the owner list, add and revoke shares, each audited; a revoked viewer gets 404 at once", async () => {
    const session = await conversation();
    const shares = await shareSession(
      store.db,
      ada,
      session.id,
      shareRequest.parse({ users: ["grace"] }),
    );
    expect(shares.map((s) => [s.kind, s.name])).toEqual([["user", "grace"]]);
    const mallory = {
      id: "mallory-sub",
      username: "mallory",
      groups: [],
      isAdministrator: false,
    };
    await expect(
      shareSession(store.db, mallory, session.id, {
        users: ["mallory"],
        groups: [],
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      listShares(store.db, mallory, session.id),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      revokeShare(store.db, mallory, session.id, shares[0].id),
    ).rejects.toBeInstanceOf(NotFoundError);

    await revokeShare(store.db, ada, session.id, shares[0].id);
    await expect(
      sharedConversation(
        store.db,
        { username: "grace", groups: [] },
        session.id,
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    const { rows } = await store.db.query<{ action: string; detail: unknown }>(
      "SELECT action, detail FROM audit_log WHERE target = $1 ORDER BY id",
      [session.id],
    );
    expect(rows).toEqual([
      { action: "session.share", detail: { users: ["grace"], groups: [] } },
      { action: "session.unshare", detail: { user: "grace" } },
    ]);
  });

  it("refuses a share naming nobody, or names that are not names (400 naming the field)", () => {
    expect(shareRequest.safeParse({}).error?.issues[0]).toMatchObject({
      path: ["users"],
      message: "give at least one user or group",
    });
    expect(
      shareRequest.safeParse({ users: ["a b"] }).error?.issues[0],
    ).toMatchObject({ path: ["users", 0] });
  });
});
