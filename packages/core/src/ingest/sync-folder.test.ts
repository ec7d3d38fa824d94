import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncFolderSource } from "./sync-folder";
import { ensureCollection } from "../collections/collections";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import {
  createFolderSource,
  folderSources,
  listSources,
} from "../sources/document-sources";

let dir: string;
let store: OpenDatabase;
const embedder = new LocalEmbedder();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-sync-"));
  store = await openDatabase(undefined, "");
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a folder source kept in sync (sextant sources add / sextant sync, embedded Postgres, real files)", () => {
  it("adds new files, replaces changed ones, skips unchanged ones by content hash, and removes documents whose file is gone", async () => {
    const folder = join(dir, "handbook");
    mkdirSync(join(folder, "policies"), { recursive: true });
    writeFileSync(
      join(folder, "welcome.md"),
      "# Welcome\n\nThe canteen opens at eight.",
    );
    writeFileSync(
      join(folder, "policies", "leave.txt"),
      "Leave is twenty-five days.",
    );
    const handbook = await ensureCollection(store.db, "Handbook", {
      everyone: true,
    });
    await createFolderSource(store.db, "cli", {
      name: "handbook",
      folder,
      collectionId: handbook.id,
    });
    const [source] = await folderSources(store.db);
    expect(source.folder).toBe(folder);

    expect(await syncFolderSource(store.db, embedder, source)).toMatchObject({
      added: 2,
      removed: 0,
    });
    const sources = async () =>
      (
        await store.db.query<{ source: string; collection_id: string }>(
          "SELECT source, collection_id FROM documents ORDER BY source",
        )
      ).rows;
    expect(await sources()).toEqual([
      { source: "handbook/policies/leave.txt", collection_id: handbook.id },
      { source: "handbook/welcome.md", collection_id: handbook.id },
    ]);

    expect(await syncFolderSource(store.db, embedder, source)).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 2,
      removed: 0,
    });

    writeFileSync(
      join(folder, "policies", "leave.txt"),
      "Leave is thirty days.",
    );
    unlinkSync(join(folder, "welcome.md"));
    writeFileSync(
      join(folder, "policies", "travel.csv"),
      "Class,Hours\nEconomy,under six\nBusiness,six or more",
    );
    expect(await syncFolderSource(store.db, embedder, source)).toMatchObject({
      added: 1,
      updated: 1,
      unchanged: 0,
      removed: 1,
    });
    expect((await sources()).map((r) => r.source)).toEqual([
      "handbook/policies/leave.txt",
      "handbook/policies/travel.csv",
    ]);
    // The listing the API gives: counts and the last sync, never the folder's path.
    const [listed] = await listSources(store.db, "folder");
    expect(listed).toMatchObject({
      name: "handbook",
      documents: 2,
      lastSync: { added: 1, updated: 1, removed: 1 },
    });
    expect(JSON.stringify(listed)).not.toContain(dir);
  });
});
