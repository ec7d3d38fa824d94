import {
  answerQuestion,
  DEFAULT_INFERENCE_CONFIG,
  type ChainResult,
} from "@sextant/core/rag";
import type { Command } from "commander";
import { toJsonResult } from "./search.js";
import { DEFAULT_DATA_DIR, withStore } from "./store.js";

/** `sextant ask`: the whole chain, the answer streamed, then its numbered sources. */
export function askCommand(program: Command): void {
  program
    .command("ask")
    .description(
      "Answer a question from the ingested documents, with numbered citations",
    )
    .argument("<question>", "the question")
    .option(
      "--json",
      "print JSON: { answer, sources, latencyMs, usage, extractive }",
    )
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .action(
      async (
        question: string,
        options: { json?: boolean; dataDir: string },
      ) => {
        await withStore(options.dataDir, async (db, embedder) => {
          let result: ChainResult | undefined;
          for await (const event of answerQuestion(
            { db, embedder },
            // The CLI reads the local store directly, as its owner: every collection.
            { question, config: DEFAULT_INFERENCE_CONFIG, collections: "all" },
          )) {
            if (event.type === "token" && !options.json)
              process.stdout.write(event.text);
            if (event.type === "done") result = event.result;
          }
          if (!result) return;
          if (options.json) {
            const { answer, latencyMs, usage, extractive } = result;
            const sources = result.sources.map(toJsonResult);
            console.log(
              JSON.stringify({ answer, sources, latencyMs, usage, extractive }),
            );
            return;
          }
          console.log("\n");
          result.sources.forEach((s, i) =>
            console.log(`[${i + 1}] ${s.source}`),
          );
        });
      },
    );
}
