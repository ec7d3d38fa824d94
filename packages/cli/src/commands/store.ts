import { resolve } from "node:path";
import { openDatabase } from "@sextant/core/embedded";
import { LocalEmbedder, type Database } from "@sextant/core/rag";

/** The default embedded database directory, relative to where the command runs. */
export const DEFAULT_DATA_DIR = ".sextant/data";

/** Opens the store (`DATABASE_URL`, or embedded PGlite in `dataDir`), runs `work`, always closes it. */
export async function withStore<T>(
  dataDir: string,
  work: (db: Database, embedder: LocalEmbedder) => Promise<T>,
): Promise<T> {
  const store = await openDatabase(resolve(dataDir));
  try {
    return await work(store.db, new LocalEmbedder());
  } finally {
    await store.close();
  }
}
