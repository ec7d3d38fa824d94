import { describe, expect, it } from "vitest";
import { iamAuthPoolConfig } from "./connect-postgres";
import { openDatabase } from "./open-database";

describe("iamAuthPoolConfig (Aurora IAM authentication)", () => {
  it("connects over TLS with a freshly signed token as the password, never a stored one", async () => {
    const config = iamAuthPoolConfig(
      "postgres://sextant_app@db.cluster-abc.eu-west-1.rds.amazonaws.com:5433/sextant",
      {
        region: "eu-west-1",
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      },
    );
    expect(config).toMatchObject({
      host: "db.cluster-abc.eu-west-1.rds.amazonaws.com",
      port: 5433,
      user: "sextant_app",
      database: "sextant",
      ssl: { rejectUnauthorized: true },
    });
    const token = await (config.password as () => Promise<string>)();
    expect(token).toMatch(
      /^db\.cluster-abc\.eu-west-1\.rds\.amazonaws\.com:5433\/\?Action=connect&DBUser=sextant_app&/,
    );
    expect(token).toContain("X-Amz-Signature=");
    expect(token).toContain("X-Amz-Expires=900");
  });
});

describe("openDatabase", () => {
  it("opens an embedded store in memory, migrated, with pgvector", async () => {
    const store = await openDatabase(undefined, "");
    try {
      const { rows } = await store.db.query<{ id: string }>(
        "SELECT id FROM schema_migrations ORDER BY id",
      );
      expect(rows.map((r) => r.id)).toEqual([
        "0001_initial",
        "0002_lexeme_stats",
        "0003_tsv_inline",
      ]);
      expect(store.location).toBe("memory");
    } finally {
      await store.close();
    }
  });

  it("rolls a failed transaction back entirely", async () => {
    const store = await openDatabase(undefined, "");
    try {
      await expect(
        store.db.transaction(async (tx) => {
          await tx.query(
            "INSERT INTO audit_log (actor, action) VALUES ('t', 'a')",
          );
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(
        (await store.db.query("SELECT count(*)::int AS n FROM audit_log"))
          .rows[0],
      ).toEqual({ n: 0 });
    } finally {
      await store.close();
    }
  });
});

describe("the embedded database's directory", () => {
  it("admits one opener at a time, and can be reopened after close", async () => {
    const { mkdtempSync, rmSync } = await import("fs");
    const { tmpdir } = await import("os");
    const { join } = await import("path");
    const dir = mkdtempSync(join(tmpdir(), "sextant-lock-"));
    try {
      const first = await openDatabase(dir, "");
      await expect(openDatabase(dir, "")).rejects.toThrow(
        /in use by process \d+ \(this one\).*--data-dir/,
      );
      await first.db.query("CREATE TABLE kept (n int)");
      await first.close();
      const second = await openDatabase(dir, "");
      expect(
        (await second.db.query("SELECT count(*)::int AS n FROM kept")).rows,
      ).toEqual([{ n: 0 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
