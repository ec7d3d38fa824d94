import { existsSync, readFileSync } from "node:fs";
import {
  DEFAULT_INFERENCE_CONFIG,
  evaluationSetQuestions,
  InvalidInputError,
  NotFoundError,
  mergeConfig,
  parseEvaluationSet,
  parseInferenceConfig,
  runEvaluation,
  type EvaluationQuestion,
  type EvaluationReport,
  type InferenceConfig,
  modelsFromConfig,
} from "@sextant/core/rag";
import type { Command } from "commander";
import { positiveInt } from "./options.js";
import { DEFAULT_DATA_DIR, withStore } from "./store.js";

const percent = (n: number) => `${(n * 100).toFixed(1)}%`;

/** The report as a person reads it: the means, then each question missed. */
function printReport(report: EvaluationReport): void {
  const { k, questions } = report;
  console.log(
    `${questions.length} questions, k = ${k}: hit@${k} ${report.hitAtK} (${percent(report.hitAtK)}), MRR ${report.mrr}, nDCG@${k} ${report.ndcg}`,
  );
  const { retrieve, rerank } = report.latencyMs;
  console.log(
    `retrieval: p50 ${retrieve.p50} ms, p95 ${retrieve.p95} ms${rerank ? `; reranking: p50 ${rerank.p50} ms, p95 ${rerank.p95} ms` : ""}`,
  );
  for (const [name, figure] of [
    ["faithfulness", report.judge.faithfulness],
    ["fact coverage", report.judge.factCoverage],
  ] as const)
    console.log(
      figure.status === "judged"
        ? `${name}: ${figure.value} (${percent(figure.value)}, ${figure.questions} questions judged)`
        : `${name}: not run (${figure.reason})`,
    );
  const missed = questions.filter((q) => q.verdict === "miss");
  if (missed.length) {
    console.log(`\nMissed (${missed.length}):`);
    for (const q of missed)
      console.log(
        `- ${q.question}\n  top: ${q.retrieved
          .slice(0, 3)
          .map((r) => r.title)
          .join("; ")}`,
      );
  }
}

/** `sextant eval`: how well retrieval finds the expected sources of an evaluation set. */
export function evalCommand(program: Command): void {
  program
    .command("eval")
    .description(
      "Evaluate retrieval against a set of questions with their expected sources: hit@k, MRR, nDCG@k, latency",
    )
    .requiredOption(
      "--set <file or name>",
      'JSONL, one question per line: { "question", "expectedSources": [...], "expectedFacts"?: [...] } (an expected source matches a document whose title or source contains it); or the name of a set saved through the API (PUT /admin/evaluations/{name})',
    )
    .option(
      "--config <draft.json>",
      "an inference configuration to evaluate (fields left out keep the defaults); the defaults otherwise",
    )
    .option(
      "--k <n>",
      "passages per question (default: the configuration's retrieval.k)",
      positiveInt,
    )
    .option(
      "--json",
      "print JSON: { k, hitAtK, mrr, ndcg, latencyMs, judge, questions: [{ question, verdict, … }] }",
    )
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .action(
      async (options: {
        set: string;
        config?: string;
        k?: number;
        json?: boolean;
        dataDir: string;
      }) => {
        const fail = (message: string) =>
          program.error(`error: ${message}`, { exitCode: 2 });
        const read = (file: string, what: string) => {
          if (!existsSync(file)) fail(`${what} ${file} does not exist`);
          return readFileSync(file, "utf8");
        };
        let fromFile: EvaluationQuestion[] | undefined;
        let config: InferenceConfig = DEFAULT_INFERENCE_CONFIG;
        try {
          if (existsSync(options.set))
            fromFile = parseEvaluationSet(read(options.set, "the set"));
          if (options.config) {
            let draft: unknown;
            try {
              draft = JSON.parse(read(options.config, "the configuration"));
            } catch {
              return fail(`${options.config} is not JSON`);
            }
            config = parseInferenceConfig(
              mergeConfig(DEFAULT_INFERENCE_CONFIG, draft),
            );
          }
        } catch (e) {
          if (e instanceof InvalidInputError)
            return fail(
              `${e.message}\n${e.fields.map((f) => `  ${f.path}: ${f.message}`).join("\n")}`,
            );
          throw e;
        }
        if (config.models.embeddings.provider !== "local")
          return fail(
            "the CLI embeds questions offline: evaluate a configuration with the local embeddings model, or through the API",
          );
        await withStore(options.dataDir, async (db, embedder) => {
          const questions =
            fromFile ??
            (await evaluationSetQuestions(db, options.set).catch((e) => {
              if (e instanceof NotFoundError)
                fail(
                  `${options.set} is neither a file nor the name of a saved evaluation set`,
                );
              throw e;
            }));
          // The configuration's reranker and models (the answer model also judges); its embedder
          // is the local one, as the store's.
          const { models, reranker } = modelsFromConfig(config);
          const report = await runEvaluation(
            { db, embedder, models, reranker },
            questions,
            {
              config,
              k: options.k,
              // The CLI reads the local store directly, as its owner: every collection.
              collections: "all",
              onProgress: options.json
                ? undefined
                : (done, total) =>
                    process.stderr.write(`\r${done}/${total} questions`),
            },
          );
          if (!options.json) process.stderr.write("\n");
          if (options.json) console.log(JSON.stringify(report));
          else printReport(report);
        });
      },
    );
}
