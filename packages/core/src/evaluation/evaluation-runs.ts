import { createHash } from "node:crypto";
import { z } from "zod";
import type { EvaluationQuestion } from "./evaluation-set";
import { evaluationSetQuestions } from "./evaluation-sets";
import {
  summarizeEvaluation,
  type EvaluationReport,
  type QuestionResult,
} from "./report";
import { assistantById, assistantScope } from "../assistants/assistants";
import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { InvalidInputError, NotFoundError } from "../errors";
import type { Caller } from "../identity/caller";
import {
  deploymentPolicyFromEnv,
  enforceDeploymentPolicy,
  type DeploymentPolicy,
} from "../inference-config/deployment-policy";
import { diffConfig } from "../inference-config/merge";
import type { InferenceConfig } from "../inference-config/schema";
import { parseInferenceConfig } from "../inference-config/validate";

/** The figures a comparison (and the quality gate) weighs. */
export const RETRIEVAL_METRICS = ["hitAtK", "mrr", "ndcg"] as const;
export type RetrievalMetric = (typeof RETRIEVAL_METRICS)[number];

/** A question whose retrieval got worse with the draft: its reciprocal rank before and after. */
export interface WorseQuestion {
  readonly question: string;
  readonly current: { verdict: "hit" | "miss"; reciprocalRank: number };
  readonly draft: { verdict: "hit" | "miss"; reciprocalRank: number };
}

/**
 * An evaluation run: a set against an assistant's current version and, when one was given, a draft
 * of its configuration, side by side. It runs in slices ({@link advanceEvaluationRun}); every
 * question's results are stored as they come, so a run interrupted (a restart, a timeout) goes on
 * from the first question without them.
 */
export interface EvaluationRun {
  readonly id: string;
  readonly assistantId: string;
  readonly setName: string;
  /** The assistant's version the draft is compared with. */
  readonly baseVersion: number;
  readonly status: "running" | "done" | "failed";
  /** Questions evaluated (against both configurations), of `total`. */
  readonly done: number;
  readonly total: number;
  /** Why the run failed (a model unavailable, say); start another to try again. */
  readonly error?: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  /** When done: each configuration's report, and the draft's deltas and the questions it made worse. */
  readonly current?: EvaluationReport;
  readonly draft?: EvaluationReport;
  readonly delta?: Readonly<Record<RetrievalMetric, number>>;
  readonly worse?: readonly WorseQuestion[];
}

/** `POST /admin/evaluations/{name}/runs`: which assistant (Default unless named), and the draft to compare. */
export const evaluationRunRequest = z
  .object({
    assistantId: z.string().uuid("must be an assistant id").optional(),
    draft: z.unknown().optional(),
  })
  .strict();

/** A run as stored. */
export interface RunRow {
  id: string;
  assistant_id: string;
  set_name: string;
  questions: EvaluationQuestion[];
  collections: string[];
  base_version: number;
  current_config: InferenceConfig;
  draft_config: InferenceConfig | null;
  draft_hash: string | null;
  cutoff: number;
  status: EvaluationRun["status"];
  done: number;
  current_results: QuestionResult[];
  draft_results: QuestionResult[];
  error: string | null;
  created_by: string;
  created_at: Date;
}

/** JSON with every object's keys sorted: the same value, stored or parsed, the same text. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );

/** A configuration's fingerprint: the same settings, in any key order, the same hash. */
export const configHash = (config: InferenceConfig): string =>
  createHash("sha256").update(canonicalJson(config)).digest("hex");

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A stored run as the API shows it: with its reports once done. */
export function toRun(row: RunRow): EvaluationRun {
  const run = {
    id: row.id,
    assistantId: row.assistant_id,
    setName: row.set_name,
    baseVersion: row.base_version,
    status: row.status,
    done: row.done,
    total: row.questions.length,
    ...(row.error ? { error: row.error } : {}),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
  if (row.status !== "done") return run;
  const current = summarizeEvaluation(row.current_results, {
    cutoff: row.cutoff,
    config: row.current_config,
  });
  if (!row.draft_config) return { ...run, current };
  const draft = summarizeEvaluation(row.draft_results, {
    cutoff: row.cutoff,
    config: row.draft_config,
  });
  const worse = row.current_results.flatMap((c, i) => {
    const d = row.draft_results[i];
    return d.reciprocalRank < c.reciprocalRank
      ? [
          {
            question: c.question,
            current: { verdict: c.verdict, reciprocalRank: c.reciprocalRank },
            draft: { verdict: d.verdict, reciprocalRank: d.reciprocalRank },
          },
        ]
      : [];
  });
  return {
    ...run,
    current,
    draft,
    delta: Object.fromEntries(
      RETRIEVAL_METRICS.map((m) => [m, round(draft[m] - current[m])]),
    ) as Record<RetrievalMetric, number>,
    worse,
  };
}

/** The columns of a {@link RunRow}. */
export const RUN_COLUMNS = `id, assistant_id, set_name, questions, collections, base_version, current_config,
  draft_config, draft_hash, cutoff, status, done, current_results, draft_results, error, created_by, created_at`;

/** A run as stored, by id; {@link NotFoundError} when there is none. */
async function runRow(db: Database, id: string): Promise<RunRow> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM evaluation_runs WHERE id::text = $1`,
    [id],
  );
  if (!rows[0]) throw new NotFoundError(`There is no evaluation run ${id}.`);
  return rows[0];
}

/** A run by id; {@link NotFoundError} when there is none. */
export const getEvaluationRun = async (
  db: Database,
  id: string,
): Promise<EvaluationRun> => toRun(await runRow(db, id));

/** A draft as the run evaluates it: valid, within the deployment's policy, on the index's embedding model (400 naming each field under `draft.`). */
async function checkedDraft(
  db: Database,
  draft: unknown,
  policy: DeploymentPolicy,
): Promise<InferenceConfig> {
  let config: InferenceConfig;
  try {
    config = enforceDeploymentPolicy(parseInferenceConfig(draft), policy);
  } catch (e) {
    if (e instanceof InvalidInputError)
      throw new InvalidInputError(
        e.message,
        e.fields.map((f) => ({ ...f, path: `draft.${f.path}` })),
      );
    throw e;
  }
  const index = (await assistantById(db, DEFAULT_ASSISTANT_ID)).config.models
    .embeddings;
  if (diffConfig(config.models.embeddings, index).length)
    throw new InvalidInputError(
      "A draft is evaluated against the index as it is, whose vectors the Default assistant's embedding model made: another embedding model needs every document embedded again first.",
      [{ path: "draft.models.embeddings", message: "must be the index's" }],
    );
  return config;
}

/**
 * Starts a run of a set against an assistant's current version and, when given, a draft of its
 * configuration (audited `evaluation.run`). The set's questions and what the starter may read of
 * the assistant's collections are kept with the run, so it measures the same thing to its end.
 * Both configurations are scored at the current version's `retrieval.k` (each retrieves its own
 * `k`), so a draft that retrieves fewer passages shows the loss.
 */
export async function startEvaluationRun(
  db: Database,
  caller: Caller,
  input: {
    readonly setName: string;
    readonly assistantId?: string;
    readonly draft?: unknown;
  },
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Promise<EvaluationRun> {
  const questions = await evaluationSetQuestions(db, input.setName);
  const { assistant, collections } = await assistantScope(
    db,
    caller,
    await assistantById(db, input.assistantId ?? DEFAULT_ASSISTANT_ID),
  );
  const draft =
    input.draft === undefined
      ? undefined
      : await checkedDraft(db, input.draft, policy);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<RunRow>(
      `INSERT INTO evaluation_runs (assistant_id, set_name, questions, collections, base_version,
         current_config, draft_config, draft_hash, cutoff, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${RUN_COLUMNS}`,
      [
        assistant.id,
        input.setName,
        JSON.stringify(questions),
        collections,
        assistant.version,
        JSON.stringify(assistant.config),
        draft ? JSON.stringify(draft) : null,
        draft ? configHash(draft) : null,
        assistant.config.retrieval.k,
        caller.username,
      ],
    );
    await recordAudit(tx, {
      actor: caller.username,
      action: "evaluation.run",
      target: rows[0].id,
      detail: {
        set: input.setName,
        assistant: assistant.name,
        version: assistant.version,
        draft: Boolean(draft),
      },
    });
    return toRun(rows[0]);
  });
}

/** One set's figures for one configuration version. */
export interface VersionScore {
  readonly setName: string;
  readonly k: number;
  readonly hitAtK: number;
  readonly mrr: number;
  readonly ndcg: number;
  readonly runId: string;
  readonly measuredAt: Date;
}

/** Each version's stored figures, per set, for an assistant's version history. */
export async function versionScores(
  db: Database,
  assistantId: string,
): Promise<Map<number, VersionScore[]>> {
  const { rows } = await db.query<{
    version: number;
    set_name: string;
    k: number;
    hit_at_k: number;
    mrr: number;
    ndcg: number;
    run_id: string;
    created_at: Date;
  }>(
    `SELECT version, set_name, k, hit_at_k, mrr, ndcg, run_id, created_at FROM evaluation_scores
     WHERE assistant_id = $1 ORDER BY version, set_name`,
    [assistantId],
  );
  const scores = new Map<number, VersionScore[]>();
  for (const r of rows)
    scores.set(r.version, [
      ...(scores.get(r.version) ?? []),
      {
        setName: r.set_name,
        k: r.k,
        hitAtK: Number(r.hit_at_k),
        mrr: Number(r.mrr),
        ndcg: Number(r.ndcg),
        runId: r.run_id,
        measuredAt: r.created_at,
      },
    ]);
  return scores;
}

/**
 * The quality gate (deployment setting `SEXTANT_QUALITY_GATE=retrieval`, context key
 * `qualityGate`): a change of an assistant's configuration is saved only with a finished run of
 * exactly that draft against the version it replaces, whose retrieval figures (hit@k, MRR, nDCG)
 * are none of them worse. 400 naming `evaluationRun` and the reason otherwise. Returns the run,
 * whose draft figures are then kept with the new version.
 */
export async function checkQualityGate(
  db: Database,
  input: {
    readonly assistantId: string;
    readonly baseVersion: number;
    readonly config: InferenceConfig;
    readonly runId?: string;
  },
): Promise<EvaluationRun> {
  const refuse = (message: string): never => {
    throw new InvalidInputError(
      `The quality gate refuses this save: ${message}`,
      [{ path: "evaluationRun", message }],
    );
  };
  if (!input.runId)
    return refuse(
      "evaluate the draft against the current version first (Evaluate in the configuration editor, or POST /admin/evaluations/{set}/runs with the draft), then save with the run's id (header Sextant-Evaluation-Run)",
    );
  const row = await runRow(db, input.runId).catch(() =>
    refuse(`there is no evaluation run ${input.runId}`),
  );
  const run = toRun(row);
  if (run.assistantId !== input.assistantId)
    refuse("the run evaluated another assistant");
  if (run.status !== "done") refuse(`the run is ${run.status}, not done`);
  if (row.draft_hash !== configHash(input.config))
    refuse("the run evaluated another draft than the one saved");
  if (run.baseVersion !== input.baseVersion)
    refuse(
      `the run compared with version ${run.baseVersion}, and version ${input.baseVersion} is current: evaluate again`,
    );
  const worse = RETRIEVAL_METRICS.filter((m) => run.delta![m] < 0);
  if (worse.length)
    refuse(
      `on set '${run.setName}', the draft's ${worse
        .map(
          (m) =>
            `${m === "hitAtK" ? `hit@${run.current!.k}` : m === "mrr" ? "MRR" : `nDCG@${run.current!.k}`} is ${run.draft![m]} against ${run.current![m]}`,
        )
        .join(", ")}`,
    );
  return run;
}

/**
 * Keeps a version's figures on a set, replacing earlier ones: a finished run's for the version it
 * compared with, a gated save's draft figures for the version the save made.
 */
export async function recordVersionScore(
  db: Database,
  score: {
    readonly assistantId: string;
    readonly version: number;
    readonly setName: string;
    readonly runId: string;
    readonly report: Pick<EvaluationReport, "k" | "hitAtK" | "mrr" | "ndcg">;
  },
): Promise<void> {
  const { report } = score;
  await db.query(
    `INSERT INTO evaluation_scores (assistant_id, version, set_name, k, hit_at_k, mrr, ndcg, run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (assistant_id, version, set_name) DO UPDATE SET k = EXCLUDED.k,
       hit_at_k = EXCLUDED.hit_at_k, mrr = EXCLUDED.mrr, ndcg = EXCLUDED.ndcg,
       run_id = EXCLUDED.run_id, created_at = now()`,
    [
      score.assistantId,
      score.version,
      score.setName,
      report.k,
      report.hitAtK,
      report.mrr,
      report.ndcg,
      score.runId,
    ],
  );
}
