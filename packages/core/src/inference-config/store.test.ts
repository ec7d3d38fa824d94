import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_INFERENCE_CONFIG } from "./defaults";
import { diffConfig } from "./merge";
import {
  currentInferenceConfig,
  listInferenceConfigVersions,
  restoreInferenceConfigVersion,
  updateInferenceConfig,
  withOverrides,
} from "./store";
import { listAuditLog } from "../audit/audit-log";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import {
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from "../errors";

let store: OpenDatabase;
const withK = (k: number) => ({
  ...DEFAULT_INFERENCE_CONFIG,
  retrieval: { ...DEFAULT_INFERENCE_CONFIG.retrieval, k },
});
const versionCount = async () =>
  Number(
    (
      await store.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM assistant_versions",
      )
    ).rows[0].n,
  );

beforeAll(async () => {
  store = await openDatabase(undefined, "");
});
afterAll(() => store.close());
beforeEach(async () => {
  await store.db.query(
    "TRUNCATE assistant_versions, audit_log; UPDATE assistants SET version = 0",
  );
});

describe("inference-configuration versions", () => {
  it("starts at version 0, the built-in defaults", async () => {
    expect(await currentInferenceConfig(store.db)).toEqual({
      version: 0,
      config: DEFAULT_INFERENCE_CONFIG,
    });
  });

  it("saves the next version with its author, and audits the change as a diff", async () => {
    const saved = await updateInferenceConfig(store.db, {
      actor: "admin",
      expectedVersion: 0,
      config: withK(8),
    });
    expect(saved).toMatchObject({
      version: 1,
      author: "admin",
      config: { retrieval: { k: 8 } },
    });
    expect((await currentInferenceConfig(store.db)).version).toBe(1);
    const audit = await listAuditLog(store.db, { limit: 10 });
    expect(audit.items).toEqual([
      expect.objectContaining({
        actor: "admin",
        action: "inference-config.update",
        detail: {
          changes: [
            {
              path: "retrieval.k",
              from: DEFAULT_INFERENCE_CONFIG.retrieval.k,
              to: 8,
            },
          ],
        },
      }),
    ]);
  });

  it("rejects a stale If-Match with 412 and writes nothing", async () => {
    await updateInferenceConfig(store.db, {
      actor: "a",
      expectedVersion: 0,
      config: withK(8),
    });
    await expect(
      updateInferenceConfig(store.db, {
        actor: "b",
        expectedVersion: 0,
        config: withK(9),
      }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(
      updateInferenceConfig(store.db, {
        actor: "b",
        expectedVersion: 7,
        config: withK(9),
      }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await versionCount()).toBe(1);
    expect((await listAuditLog(store.db, { limit: 10 })).items).toHaveLength(1);
  });

  it("lets exactly one of 20 concurrent updates with the same If-Match win", async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        updateInferenceConfig(store.db, {
          actor: `admin${i}`,
          expectedVersion: 0,
          config: withK(i + 1),
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter(
      (o): o is PromiseRejectedResult => o.status === "rejected",
    );
    expect(rejected).toHaveLength(19);
    expect(
      rejected.every((o) => o.reason instanceof PreconditionFailedError),
    ).toBe(true);
    expect(await versionCount()).toBe(1);
  });

  it("rejects an invalid configuration naming each bad field, and writes nothing", async () => {
    const bad = { ...withK(0), historyTurns: -1 };
    const error = await updateInferenceConfig(store.db, {
      actor: "a",
      expectedVersion: 0,
      config: bad,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      "historyTurns",
      "retrieval.k",
    ]);
    expect(await versionCount()).toBe(0);
  });

  it("restores an earlier version as a new one, keeping history", async () => {
    await updateInferenceConfig(store.db, {
      actor: "a",
      expectedVersion: 0,
      config: withK(8),
    });
    await updateInferenceConfig(store.db, {
      actor: "a",
      expectedVersion: 1,
      config: withK(12),
    });
    const restored = await restoreInferenceConfigVersion(store.db, {
      actor: "b",
      version: 1,
    });
    expect(restored).toMatchObject({
      version: 3,
      config: { retrieval: { k: 8 } },
    });
    expect(
      (await listInferenceConfigVersions(store.db)).map((v) => v.version),
    ).toEqual([3, 2, 1]);
    expect((await listAuditLog(store.db, { limit: 1 })).items[0]).toMatchObject(
      {
        action: "inference-config.restore",
        detail: { restoredFrom: 1 },
      },
    );
    await expect(
      restoreInferenceConfigVersion(store.db, { actor: "b", version: 42 }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("per-message overrides", () => {
  it("merges into the current configuration", () => {
    const config = withOverrides(DEFAULT_INFERENCE_CONFIG, {
      retrieval: { k: 2 },
    });
    expect(config.retrieval).toEqual({
      ...DEFAULT_INFERENCE_CONFIG.retrieval,
      k: 2,
    });
    expect(diffConfig(DEFAULT_INFERENCE_CONFIG, config)).toHaveLength(1);
  });

  it("names invalid overrides under overrides.<field>", () => {
    expect(() =>
      withOverrides(DEFAULT_INFERENCE_CONFIG, {
        retrieval: { k: "many" },
        extra: 1,
      }),
    ).toThrow(
      expect.objectContaining({
        fields: expect.arrayContaining([
          expect.objectContaining({ path: "overrides.retrieval.k" }),
          expect.objectContaining({ path: "overrides.(root)" }),
        ]),
      }),
    );
  });
});
