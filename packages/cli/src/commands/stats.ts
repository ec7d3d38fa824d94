import { corpusStats } from "@sextant/core/rag";
import type { Command } from "commander";
import { DEFAULT_DATA_DIR, withStore } from "./store.js";

/** `sextant stats`: how many documents and chunks are stored. */
export function statsCommand(program: Command): void {
  program
    .command("stats")
    .description("Count the stored documents and chunks")
    .option("--json", "print JSON: { documents, chunks }")
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .action(async (options: { json?: boolean; dataDir: string }) => {
      const stats = await withStore(options.dataDir, (db) => corpusStats(db));
      console.log(
        options.json
          ? JSON.stringify(stats)
          : `${stats.documents} documents, ${stats.chunks} chunks`,
      );
    });
}
