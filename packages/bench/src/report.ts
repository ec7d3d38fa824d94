import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, round } from "@sextant/local";
import type { benchApi } from "./api.js";
import { comparisonChart, type Comparison } from "./chart.js";
import { BUNDLE_BUDGET, type benchColdStart } from "./cold-start.js";
import type { benchFirstToken } from "./first-token.js";
import type { benchFormats } from "./formats.js";
import type { benchGuardrails } from "./guardrails.js";
import type { benchRetrieval } from "./retrieval.js";
import type { benchScale } from "./scale.js";
import type { benchUsage } from "./usage.js";
import type { benchVectorRecall } from "./vector-recall.js";

/** What one `npm run bench` run measured; sections absent when not run (`--only`, `--quick`). */
export interface BenchResults {
  retrieval?: Awaited<ReturnType<typeof benchRetrieval>>;
  guardrails?: Awaited<ReturnType<typeof benchGuardrails>>;
  usage?: Awaited<ReturnType<typeof benchUsage>>;
  formats?: Awaited<ReturnType<typeof benchFormats>>;
  api?: Awaited<ReturnType<typeof benchApi>>;
  website?: {
    jsGzipKb: number;
    cssGzipKb: number;
    lcpNewChat: { medianMs: number; maxMs: number; runs: number };
    lcpConversation: { medianMs: number; maxMs: number };
    byLanguage?: { language: string; jsGzipKb: number }[];
    lcpNewChatGerman?: { medianMs: number; maxMs: number };
  };
  coldStart?: Awaited<ReturnType<typeof benchColdStart>>;
  firstToken?: Awaited<ReturnType<typeof benchFirstToken>>;
  scale100k?: Awaited<ReturnType<typeof benchScale>>;
  build?: { cachedSeconds: number; coldSeconds?: number };
}

const DOCS = join(REPO_ROOT, "docs");
const START = "<!-- bench:generated:start -->";
const END = "<!-- bench:generated:end -->";

const times = (a: number, b: number) =>
  a === 0 || b === 0 ? "—" : `${round(Math.max(a, b) / Math.min(a, b), 1)}×`;
const faster = (ours: number, theirs: number) =>
  `${times(ours, theirs)} ${ours <= theirs ? "faster" : "slower"}`;
const smaller = (ours: number, theirs: number) =>
  `${times(ours, theirs)} ${ours <= theirs ? "smaller" : "larger"}`;

type VectorRecall = Awaited<ReturnType<typeof benchVectorRecall>>;

/** The HNSW index against an exact scan at one corpus size: its table row… */
const vectorRow = (n: string, vector: VectorRecall): string[] => [
  `vector index, ${n} chunks`,
  "p50 / p95; recall@10",
  `HNSW ${vector.hnsw.p50Ms} / ${vector.hnsw.p95Ms} ms; ${vector.recallAt10}`,
  `exact scan ${vector.exact.p50Ms} / ${vector.exact.p95Ms} ms; 1.0`,
  faster(vector.hnsw.p50Ms, vector.exact.p50Ms),
];

/** …and its bars in the chart. */
const vectorComparison = (n: string, vector: VectorRecall): Comparison => ({
  label: `vector p50, ${n} chunks`,
  unit: "ms",
  sextant: vector.hnsw.p50Ms,
  baseline: { label: "exact scan", value: vector.exact.p50Ms },
});

/** Rows of the generated table (area, figure, Sextant, baseline, ratio) and the chart's comparisons. */
function figures(r: BenchResults): { rows: string[][]; chart: Comparison[] } {
  const rows: string[][] = [];
  const chart: Comparison[] = [];
  if (r.guardrails)
    rows.push([
      "guardrails (offline)",
      `redaction of a question and its answer + the denied-topic check, per message, p50 / p95 (target ≤ 5 ms); false positives on ${r.guardrails.questions} questions`,
      `${r.guardrails.perMessageP50Ms} / ${r.guardrails.perMessageP95Ms} ms; ${r.guardrails.falsePositives}`,
      `paraphrases caught: ${r.guardrails.paraphrasesCaught}`,
      "",
    ]);
  if (r.usage)
    rows.push([
      "usage metering and quotas",
      `the quota check before the models + metering the message's model calls after, per message, p50 / p95 (target ≤ 2 ms), on a store with ${r.usage.storedEvents.toLocaleString("en")} usage rows`,
      `${r.usage.addedP50Ms} / ${r.usage.addedP95Ms} ms`,
      `check ${r.usage.quotaCheckP50Ms} ms, metering ${r.usage.meteringP50Ms} ms (p50)`,
      "",
    ]);
  if (r.formats) {
    const formats = Object.entries(r.formats.perFormat);
    rows.push([
      "ingestion per format",
      `documents a minute (MB/s) ingested into an empty store: ${formats[0][1].documents} State of the Union addresses written in each format by its library`,
      formats
        .map(
          ([f, v]) => `${f} ${v.documentsPerMinute} (${v.megabytesPerSecond})`,
        )
        .join(", "),
      "",
      "",
    ]);
    rows.push([
      "OCR (tesseract.js, its model from npm)",
      "generated scanned pages (25 lines, about 150 dpi) a minute, one worker",
      `${r.formats.ocrPagesPerMinute} pages/min (${r.formats.ocrSecondsPerPage} s a page)`,
      "",
      "",
    ]);
  }
  if (r.retrieval) {
    const { sextant, minisearch, vector, corpus } = r.retrieval;
    const n = corpus.chunks.toLocaleString("en");
    rows.push(
      [
        `retrieval, ${n} chunks, ${r.retrieval.questions} questions`,
        "hit@5",
        String(sextant.hitAt5),
        `MiniSearch (BM25) ${minisearch.hitAt5}`,
        `${round(sextant.hitAt5 / minisearch.hitAt5, 2)}×`,
      ],
      [
        "",
        "MRR / nDCG@5 (as `sextant eval` computes them)",
        `${sextant.mrr} / ${sextant.ndcgAt5}`,
        `MiniSearch ${minisearch.mrr} / ${minisearch.ndcgAt5}`,
        `${round(sextant.mrr / minisearch.mrr, 2)}× / ${round(sextant.ndcgAt5 / minisearch.ndcgAt5, 2)}×`,
      ],
      ...(r.retrieval.reranked
        ? [
            [
              "",
              `with the offline reranker (${r.retrieval.reranked.candidates} candidates): hit@5, MRR / nDCG@5, p50 / p95 (its own step p50 / p95)`,
              `${r.retrieval.reranked.hitAt5}, ${r.retrieval.reranked.mrr} / ${r.retrieval.reranked.ndcgAt5}, ${r.retrieval.reranked.medianMs} / ${r.retrieval.reranked.p95Ms} ms (${r.retrieval.reranked.rerankMedianMs} / ${r.retrieval.reranked.rerankP95Ms} ms)`,
              `without: ${sextant.hitAt5}, ${sextant.mrr} / ${sextant.ndcgAt5}, ${sextant.medianMs} / ${sextant.p95Ms} ms`,
              `+${round(r.retrieval.reranked.medianMs - sextant.medianMs, 2)} ms p50`,
            ],
          ]
        : []),
      ...r.retrieval.sets.map((set) => [
        "",
        `hit@5, set ${set.name} (${set.questions} questions)`,
        String(set.sextantHitAt5),
        `MiniSearch ${set.minisearchHitAt5}`,
        `${round(set.sextantHitAt5 / set.minisearchHitAt5, 2)}×`,
      ]),
      [
        "",
        "query latency p50 / p95",
        `${sextant.medianMs} / ${sextant.p95Ms} ms`,
        `MiniSearch ${minisearch.medianMs} / ${minisearch.p95Ms} ms`,
        faster(sextant.medianMs, minisearch.medianMs),
      ],
      ...(r.retrieval.cli
        ? [
            [
              "",
              `\`search --queries\` in a fresh process: p50 of its \`ms\` over ${r.retrieval.cli.all.queries} / set C's ${r.retrieval.cli.setC.queries} questions; the first query's`,
              `${r.retrieval.cli.all.medianMs} / ${r.retrieval.cli.setC.medianMs} ms; first ${r.retrieval.cli.all.firstMs} ms`,
              `in process, warm: ${sextant.medianMs} ms`,
              "",
            ],
          ]
        : []),
      vectorRow(n, vector),
      [
        "ingestion",
        "chunks/s, end to end (extract, chunk, embed, write to Postgres)",
        `${Math.round(corpus.chunks / corpus.ingestSeconds)}/s`,
        `MiniSearch indexing in memory ${Math.round(corpus.chunks / minisearch.indexSeconds)}/s`,
        `${times(corpus.ingestSeconds, minisearch.indexSeconds)} ${corpus.ingestSeconds <= minisearch.indexSeconds ? "faster" : "slower (durable, with embeddings)"}`,
      ],
      [
        "",
        "re-ingesting the same files",
        `${corpus.reingestSeconds} s, ${corpus.reingestWrites} rows written`,
        `first ingest ${corpus.ingestSeconds} s`,
        faster(corpus.reingestSeconds, corpus.ingestSeconds),
      ],
    );
    chart.push(
      {
        label: "hit@5 (higher is better)",
        unit: "",
        sextant: sextant.hitAt5,
        baseline: { label: "MiniSearch", value: minisearch.hitAt5 },
      },
      {
        label: "retrieval p50",
        unit: "ms",
        sextant: sextant.medianMs,
        baseline: { label: "MiniSearch", value: minisearch.medianMs },
      },
      vectorComparison(n, vector),
    );
  }
  if (r.scale100k) {
    const { vector, medianMs, p95Ms, chunks } = r.scale100k;
    const n = chunks.toLocaleString("en");
    rows.push(
      [
        `retrieval, ${n} chunks (synthetic scale-up)`,
        "query latency p50 / p95",
        `${medianMs} / ${p95Ms} ms`,
        r.retrieval
          ? `${r.retrieval.corpus.chunks.toLocaleString("en")} chunks ${r.retrieval.sextant.medianMs} ms`
          : "—",
        r.retrieval
          ? times(medianMs, r.retrieval.sextant.medianMs) + " the latency"
          : "—",
      ],
      vectorRow(n, vector),
    );
    chart.push(vectorComparison(n, vector));
    const { filtered } = r.scale100k;
    if (filtered)
      rows.push([
        `retrieval for a user who reads ${round((100 * filtered.readableChunks) / filtered.chunks, 1)}% of ${n} chunks (one collection)`,
        `hit@5, p50 / p95, on the ${filtered.questions} questions about that collection`,
        `${filtered.withinReadable.hitAt5}, ${filtered.withinReadable.medianMs} / ${filtered.withinReadable.p95Ms} ms`,
        `the whole store ${filtered.wholeStore.hitAt5}, ${filtered.wholeStore.medianMs} / ${filtered.wholeStore.p95Ms} ms; target ≤ 50 ms`,
        faster(filtered.withinReadable.medianMs, 50),
      ]);
  }
  if (r.api) {
    const { question, postMessages, getSessions, auth } = r.api;
    rows.push(
      [
        "chat turn, local stack",
        "`POST …/messages`, one at a time, p50 / p95",
        `${question.medianMs} / ${question.p95Ms} ms (${question.withCitations}/${question.questions} cited)`,
        "target 300 ms",
        faster(question.p95Ms, 300),
      ],
      [
        "",
        "under load (10 connections): `POST …/messages`, `GET /sessions`",
        `${postMessages.requestsPerSecond} / ${getSessions.requestsPerSecond} requests/s, p95 ${postMessages.p95Ms} / ${getSessions.p95Ms} ms`,
        "—",
        "—",
      ],
      [
        "authentication",
        "access-token verification, p50 / p95",
        `${auth.verifyMedianUs} / ${auth.verifyP95Us} µs`,
        `${auth.baseline.what} ${auth.baseline.medianMs} ms`,
        `${round(auth.shareOfRequest * 100, 1)}% of the request`,
      ],
    );
    chart.push(
      {
        label: "chat turn p95",
        unit: "ms",
        sextant: question.p95Ms,
        baseline: { label: "target", value: 300 },
      },
      {
        label: "token verification p50",
        unit: "ms",
        sextant: round(auth.verifyMedianUs / 1000, 3),
        baseline: { label: "GET /me", value: auth.baseline.medianMs },
      },
    );
  }
  if (r.coldStart) {
    const { baseline, handlers, firstRequests } = r.coldStart;
    const heaviest = handlers[0];
    const lightest = handlers[handlers.length - 1];
    const largest = Math.max(...handlers.map((h) => h.atInitKb));
    const slowestFirst = [...firstRequests].sort(
      (a, b) => b.firstResponseMs - a.firstResponseMs,
    )[0];
    rows.push(
      [
        `cold start, ${handlers.length} Lambda bundles`,
        "module init, slowest",
        `${heaviest.handler}: ${heaviest.initMs} ms (${heaviest.atInitKb} KB at init)`,
        `${baseline.what} ${baseline.initMs} ms`,
        `${times(heaviest.initMs, baseline.initMs)} the baseline`,
      ],
      [
        "",
        "module init, fastest",
        `${lightest.handler}: ${lightest.initMs} ms (${lightest.atInitKb} KB at init)`,
        `${baseline.what} ${baseline.initMs} ms`,
        `${times(lightest.initMs, baseline.initMs)} the baseline`,
      ],
      [
        "",
        "JavaScript loaded at init, largest bundle",
        `${largest} KB`,
        `budget ${BUNDLE_BUDGET.atInitKb} KB`,
        smaller(largest, BUNDLE_BUDGET.atInitKb),
      ],
      [
        "",
        "first request of a fresh process (init, connection, query), slowest",
        `${slowestFirst.handler}: ${slowestFirst.firstResponseMs} ms`,
        `its init alone ${handlers.find((h) => h.handler === slowestFirst.handler)?.initMs} ms`,
        "—",
      ],
    );
    chart.push({
      label: `cold-start init, ${heaviest.handler}`,
      unit: "ms",
      sextant: heaviest.initMs,
      baseline: { label: baseline.what, value: baseline.initMs },
    });
  }
  if (r.firstToken) {
    const { recommended, allLarge, profiles } = r.firstToken;
    const profile = (p: keyof typeof profiles) =>
      `${p} (first token ${profiles[p].firstTokenMs} ms, ${profiles[p].tokensPerSecond} tokens/s)`;
    rows.push(
      [
        "first answer token, local stack, models on a stand-in with Bedrock's latency",
        `follow-up, p50: classify and condense on ${profile("small")}, answer on ${profile("large")}`,
        `${recommended.followUp.ttftP50Ms} ms, of which Sextant ${recommended.followUp.sextantP50Ms} ms`,
        "target 1,500 ms, Sextant ≤ 100 ms",
        faster(recommended.followUp.ttftP50Ms, 1500),
      ],
      [
        "",
        "first question of a conversation (no condense), p50",
        `${recommended.firstQuestion.ttftP50Ms} ms, of which Sextant ${recommended.firstQuestion.sextantP50Ms} ms`,
        "target 1,500 ms",
        faster(recommended.firstQuestion.ttftP50Ms, 1500),
      ],
      [
        "",
        "follow-up, p50, every step on the large model",
        `${allLarge.followUp.ttftP50Ms} ms`,
        `small condense and classify ${recommended.followUp.ttftP50Ms} ms`,
        faster(recommended.followUp.ttftP50Ms, allLarge.followUp.ttftP50Ms),
      ],
    );
    chart.push({
      label: "first token, follow-up",
      unit: "ms",
      sextant: recommended.followUp.ttftP50Ms,
      baseline: { label: "target", value: 1500 },
    });
  }
  if (r.website) {
    const w = r.website;
    rows.push(
      [
        "website",
        "initial JavaScript, gzipped",
        `${w.jsGzipKb} KB`,
        "target 350 KB",
        smaller(w.jsGzipKb, 350),
      ],
      ...(w.byLanguage
        ? [
            [
              "",
              "with the language's catalogue (and Cloudscape's messages)",
              w.byLanguage
                .map((l) => `${l.language} ${l.jsGzipKb} KB`)
                .join(", "),
              "—",
              "—",
            ],
          ]
        : []),
      [
        "",
        `largest contentful paint, chat (median of ${w.lcpNewChat.runs} loads)`,
        `${w.lcpNewChat.medianMs} ms; with a cited answer ${w.lcpConversation.medianMs} ms${w.lcpNewChatGerman ? `; in German ${w.lcpNewChatGerman.medianMs} ms` : ""}`,
        "target 1,500 ms",
        faster(w.lcpConversation.medianMs, 1500),
      ],
    );
    chart.push(
      {
        label: "initial JavaScript",
        unit: "KB",
        sextant: w.jsGzipKb,
        baseline: { label: "target", value: 350 },
      },
      {
        label: "LCP, conversation",
        unit: "ms",
        sextant: w.lcpConversation.medianMs,
        baseline: { label: "target", value: 1500 },
      },
    );
  }
  if (!r.build)
    rows.push([
      "build",
      "`npx projen build`",
      "not measured in this run (`--quick` skips it)",
      "—",
      "—",
    ]);
  else {
    rows.push([
      "build",
      "`npx projen build`, cached (nothing changed)",
      `${r.build.cachedSeconds} s`,
      r.build.coldSeconds
        ? `cold (no Nx cache) ${r.build.coldSeconds} s`
        : "cold: `npm run bench -- --build`",
      r.build.coldSeconds
        ? faster(r.build.cachedSeconds, r.build.coldSeconds)
        : "—",
    ]);
  }
  return { rows, chart };
}

/** Writes `docs/benchmarks.json`, the generated part of `docs/benchmarks.md` and its chart. */
export function writeReport(
  results: BenchResults,
  options: { quick: boolean },
): void {
  const run = {
    date: new Date().toISOString(),
    quick: options.quick,
    machine: {
      cpus: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: process.platform,
    },
    results,
  };
  writeFileSync(
    join(DOCS, "benchmarks.json"),
    `${JSON.stringify(run, null, 2)}\n`,
  );
  const { rows, chart } = figures(results);
  writeFileSync(
    join(DOCS, "images", "benchmarks.svg"),
    comparisonChart("Sextant against its baselines", chart),
  );
  const table = [
    "| area | figure | Sextant | baseline | ratio |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  const section = [
    START,
    `## Latest run (${run.date.slice(0, 10)}${options.quick ? ", `--quick`" : ""})`,
    "",
    `Generated by \`npm run bench\` on ${run.machine.cpus} cores, ${run.machine.memoryGiB} GiB, Node ${run.machine.node}; every figure beside its baseline, measured in the same run. Raw figures: [benchmarks.json](benchmarks.json).`,
    "",
    "![Sextant against its baselines](images/benchmarks.svg)",
    "",
    table,
    ...(results.coldStart ? ["", bundleTable(results.coldStart)] : []),
    END,
  ].join("\n");
  const path = join(DOCS, "benchmarks.md");
  const doc = readFileSync(path, "utf8");
  const next = doc.includes(START)
    ? doc.replace(new RegExp(`${START}[\\s\\S]*${END}`), section)
    : doc.replace(/\n## /, `\n${section}\n\n## `);
  writeFileSync(path, next);
}

/** Every Lambda bundle: its JavaScript, its init, and for some its first request, against the budget. */
function bundleTable(c: NonNullable<BenchResults["coldStart"]>): string {
  const first = new Map(
    c.firstRequests.map((f): [string, number] => [
      f.handler,
      f.firstResponseMs,
    ]),
  );
  return [
    `### Lambda bundles (budget: ${BUNDLE_BUDGET.atInitKb} KB at init; init ≤ ${c.initLimitMs} ms, the larger of ${BUNDLE_BUDGET.initMs} ms and ${BUNDLE_BUDGET.initTimesEmpty}× an empty module's ${c.baseline.initMs} ms)`,
    "",
    "| bundle | JavaScript at init | in all (with what loads on first use, if ever) | module init, median | first request, median |",
    "| --- | --- | --- | --- | --- |",
    ...[...c.handlers]
      .sort((a, b) => a.handler.localeCompare(b.handler))
      .map(
        (h) =>
          `| ${h.handler} | ${h.atInitKb} KB | ${h.allKb} KB | ${h.initMs} ms | ${first.has(h.handler) ? `${first.get(h.handler)} ms` : "—"} |`,
      ),
  ].join("\n");
}
