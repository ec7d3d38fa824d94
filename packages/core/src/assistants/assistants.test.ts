import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assistantRequest,
  createAssistant,
  restoreAssistantVersion,
  saveAssistant,
} from "./administer-assistants";
import {
  assistantById,
  assistantForNewSession,
  assistantForQuestion,
  listAssistantVersions,
  usableAssistants,
  type AssistantVersion,
} from "./assistants";
import { listAuditLog } from "../audit/audit-log";
import { ensureCollection } from "../collections/collections";
import { DEFAULT_ASSISTANT_ID, GENERAL_COLLECTION_ID } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import {
  ForbiddenError,
  InvalidInputError,
  PreconditionFailedError,
} from "../errors";
import type { Caller } from "../identity/caller";
import { parseInput } from "../input/parse-input";

const caller = (username: string, groups: string[]): Caller => ({
  id: `sub-${username}`,
  username,
  groups,
  isAdministrator: groups.includes("Administrators"),
});
const ada = caller("ada", ["Administrators"]);
const hanna = caller("hanna", ["HR"]);
const eric = caller("eric", ["Engineering"]);

let store: OpenDatabase;
let hr: string;
let engineering: string;

beforeAll(async () => {
  store = await openDatabase(undefined, "");
  hr = (await ensureCollection(store.db, "HR", { readGroups: ["HR"] })).id;
  engineering = (
    await ensureCollection(store.db, "Engineering", {
      readGroups: ["Engineering"],
    })
  ).id;
});
afterAll(() => store?.close());

const create = (body: unknown) =>
  createAssistant(store.db, ada, parseInput(assistantRequest, body));
const edit = (a: AssistantVersion, changes: Partial<AssistantVersion>) =>
  saveAssistant(store.db, ada, a.id, {
    expectedVersion: a.version,
    assistant: { ...a, ...changes },
  });

describe("assistants (embedded Postgres)", () => {
  it("are used by nobody and search nothing unless the request says so", async () => {
    const draft = await create({ name: "Draft" });
    expect(draft).toMatchObject({
      version: 1,
      author: "ada",
      collectionIds: [],
      allCollections: false,
      groups: [],
      everyone: false,
    });
    // Starting from Default's configuration.
    expect(draft.config).toEqual(
      (await assistantById(store.db, DEFAULT_ASSISTANT_ID)).config,
    );
    expect(
      (await usableAssistants(store.db, hanna)).map((a) => a.name),
    ).toEqual(["Default"]);
    await expect(
      assistantForNewSession(store.db, hanna, draft.id),
    ).rejects.toMatchObject({
      fields: [
        { path: "assistantId", message: "is not an assistant you may use" },
      ],
    });
    // Administrators may use every assistant; it searches only what they can read.
    expect(
      (await usableAssistants(store.db, ada)).map((a) => a.name),
    ).toContain("Draft");
    expect(
      (await assistantForQuestion(store.db, ada, draft.id)).collections,
    ).toEqual([]);
  });

  it("search their collections as far as the asker reads them, at each question", async () => {
    const policies = await create({
      name: "HR policies",
      collectionIds: [hr, engineering],
      groups: ["HR", "Engineering"],
    });
    expect(
      (await assistantForQuestion(store.db, hanna, policies.id)).collections,
    ).toEqual([hr]);
    expect(
      (await assistantForQuestion(store.db, eric, policies.id)).collections,
    ).toEqual([engineering]);
    // Default searches every collection its user reads.
    expect(
      (await assistantForQuestion(store.db, hanna, DEFAULT_ASSISTANT_ID))
        .collections,
    ).toEqual([GENERAL_COLLECTION_ID, hr].sort());
    // Engineering's use taken away: refused from the next question on.
    await edit(policies, { groups: ["HR"] });
    await expect(
      assistantForQuestion(store.db, eric, policies.id),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(
      (await assistantForQuestion(store.db, hanna, policies.id)).collections,
    ).toEqual([hr]);
  });

  it("refuse unknown collections, taken names and invalid configurations, naming the field", async () => {
    await expect(
      create({
        name: "Ghost",
        collectionIds: [GENERAL_COLLECTION_ID.replace("1", "9")],
      }),
    ).rejects.toMatchObject({
      fields: [{ path: "collectionIds.0", message: "is not a collection" }],
    });
    await expect(create({ name: "Default" })).rejects.toMatchObject({
      fields: [{ path: "name", message: "is taken" }],
    });
    const error = await create({
      name: "Broken",
      config: { historyTurns: -1 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).fields[0].path).toMatch(/^config\./);
    // One index, one embedding model: Default's.
    const defaults = (await assistantById(store.db, DEFAULT_ASSISTANT_ID))
      .config;
    await expect(
      create({
        name: "Other vectors",
        config: {
          ...defaults,
          models: {
            ...defaults.models,
            embeddings: { ...defaults.models.embeddings, dimensions: 256 },
          },
        },
      }),
    ).rejects.toMatchObject({
      fields: [
        {
          path: "config.models.embeddings",
          message: "must be the Default assistant's",
        },
      ],
    });
  });

  it("save versions only from the current one (412 when stale), audited field by field", async () => {
    const a = await create({ name: "Handbook", everyone: true });
    const saved = await edit(a, {
      groups: ["Engineering"],
      everyone: false,
      config: {
        ...a.config,
        retrieval: { ...a.config.retrieval, k: a.config.retrieval.k + 1 },
      },
    });
    expect(saved.version).toBe(2);
    await expect(edit(a, { name: "Stale" })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect((await assistantById(store.db, a.id)).name).toBe("Handbook");
    const { items } = await listAuditLog(store.db, { limit: 1 });
    expect(items[0]).toMatchObject({
      actor: "ada",
      action: "assistant.update",
      target: `assistant:${a.id}@2`,
      detail: {
        changes: [
          {
            path: "config.retrieval.k",
            from: a.config.retrieval.k,
            to: a.config.retrieval.k + 1,
          },
          { path: "everyone", from: true, to: false },
          { path: "groups", from: [], to: ["Engineering"] },
        ],
      },
    });
    // Of concurrent saves from one version, exactly one wins.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        edit(saved, { description: `Try ${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(
      (await listAssistantVersions(store.db, a.id)).map((v) => v.version),
    ).toEqual([3, 2, 1]);
  });

  it("restore an earlier configuration without giving back an access taken away since", async () => {
    const a = await create({
      name: "Onboarding",
      groups: ["HR", "Engineering"],
    });
    const v2 = await edit(a, {
      groups: ["HR"],
      config: { ...a.config, historyTurns: a.config.historyTurns + 1 },
    });
    const restored = await restoreAssistantVersion(store.db, ada, a.id, 1);
    expect(restored).toMatchObject({
      version: 3,
      groups: ["HR"],
      config: { historyTurns: a.config.historyTurns },
    });
    expect(v2.version).toBe(2);
    const { items } = await listAuditLog(store.db, { limit: 1 });
    expect(items[0]).toMatchObject({
      action: "assistant.restore",
      detail: { restoredFrom: 1 },
    });
  });

  it("embed questions with Default's embedding model, even one changed after the assistant was saved", async () => {
    const a = await create({ name: "Embeds", everyone: true });
    const defaults = await assistantById(store.db, DEFAULT_ASSISTANT_ID);
    const embeddings = {
      ...defaults.config.models.embeddings,
      modelId: "hashing-v2",
    };
    await saveAssistant(store.db, ada, DEFAULT_ASSISTANT_ID, {
      expectedVersion: defaults.version,
      assistant: {
        ...defaults,
        config: {
          ...defaults.config,
          models: { ...defaults.config.models, embeddings },
        },
      },
    });
    const { assistant } = await assistantForQuestion(store.db, hanna, a.id);
    expect(assistant.config.models.embeddings).toEqual(embeddings);
    // What is stored stays as saved.
    expect(
      (await assistantById(store.db, a.id)).config.models.embeddings,
    ).toEqual(defaults.config.models.embeddings);
  });
});
