import { readFileSync } from "node:fs";
import {
  DEFAULT_INFERENCE_CONFIG,
  retrieveHybrid,
  warmUp,
  type RetrievedChunk,
} from "@sextant/core/rag";
import type { Command } from "commander";
import { positiveInt } from "./options.js";
import { DEFAULT_DATA_DIR, withStore } from "./store.js";

/** A retrieved passage as the CLI prints it in JSON: `{ source, chunkId, score, text }`. */
export const toJsonResult = ({
  source,
  chunkId,
  score,
  text,
}: RetrievedChunk) => ({ source, chunkId, score, text });

/** `sextant search`: hybrid retrieval for one query, or for each line of a file with timings. */
export function searchCommand(program: Command): void {
  program
    .command("search")
    .description("Search the ingested documents (hybrid: vector + full text)")
    .argument("[query]", "what to look for")
    .option(
      "--queries <file>",
      "one query per line; prints one JSON object per line with its time (ms, once the store is warm: a few searches of no consequence run first)",
    )
    .option("--k <n>", "results per query", positiveInt, 5)
    .option("--json", "print JSON: [{ source, chunkId, score, text }]")
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .action(
      async (
        query: string | undefined,
        options: {
          queries?: string;
          k: number;
          json?: boolean;
          dataDir: string;
        },
      ) => {
        if (!query && !options.queries)
          program.error("error: give a query, or --queries <file>", {
            exitCode: 2,
          });
        if (query && options.queries)
          program.error("error: give a query or --queries <file>, not both", {
            exitCode: 2,
          });
        const retrieval = {
          ...DEFAULT_INFERENCE_CONFIG.retrieval,
          k: options.k,
          // The CLI reads the local store directly, as its owner: every collection.
          collections: "all" as const,
        };
        await withStore(options.dataDir, async (db, embedder) => {
          const search = async (q: string) =>
            (await retrieveHybrid(db, embedder, q, retrieval)).map(
              toJsonResult,
            );
          if (options.queries) {
            const queries = readFileSync(options.queries, "utf8")
              .split("\n")
              .map((l) => l.trim())
              .filter(Boolean);
            // Timings of a running server, not of the engine's start (see warmUp).
            await warmUp(db, embedder, retrieval);
            for (const q of queries) {
              const started = performance.now();
              const results = await search(q);
              const ms = Math.round((performance.now() - started) * 100) / 100;
              console.log(JSON.stringify({ query: q, ms, results }));
            }
            return;
          }
          const results = await search(query!);
          if (options.json) return console.log(JSON.stringify(results));
          if (results.length === 0) return console.log("No results.");
          results.forEach((r, i) => {
            console.log(
              `[${i + 1}] ${r.source}  (score ${r.score.toFixed(4)})`,
            );
            console.log(
              `    ${r.text.length > 300 ? `${r.text.slice(0, 300)}…` : r.text}\n`,
            );
          });
        });
      },
    );
}
