import {
  getEvaluationRun,
  recordVersionScore,
  RUN_COLUMNS,
  type EvaluationRun,
  type RunRow,
} from "./evaluation-runs";
import { evaluateQuestion } from "./run-evaluation";
import type { Database } from "../db/database";
import { modelsFromConfig } from "../providers/models-from-config";
import type { OpenAIKey } from "../providers/openai-key";

/** How long a slice may hold a run before another may take it over (a crashed or frozen worker). */
const LEASE_SECONDS = 60;

/**
 * Evaluates a run's next questions for up to `budgetMs`, storing each question's results as soon
 * as it has them, and finishes the run after its last. One worker at a time: a slice takes a lease
 * on the run, and a run whose worker died is taken over when its lease runs out, from the first
 * question without results. When every question is done, the current version's figures are kept
 * with that version (`evaluation_scores`), shown in the version history.
 */
export async function advanceEvaluationRun(
  db: Database,
  id: string,
  options: { readonly budgetMs: number; readonly openAiKey?: OpenAIKey },
): Promise<EvaluationRun> {
  const { rows } = await db.query<RunRow>(
    `UPDATE evaluation_runs SET lease_until = now() + make_interval(secs => $2)
     WHERE id::text = $1 AND status = 'running' AND (lease_until IS NULL OR lease_until < now())
     RETURNING ${RUN_COLUMNS}`,
    [id, LEASE_SECONDS],
  );
  const row = rows[0];
  if (!row) return getEvaluationRun(db, id); // finished, or another worker has it
  const started = performance.now();
  let done = row.done;
  try {
    // The current version, then the draft; a configuration the deployment no longer allows fails
    // the run with the reason, as a model that fails does.
    const evaluating = [
      row.current_config,
      ...(row.draft_config ? [row.draft_config] : []),
    ].map((config) => ({
      config,
      deps: { db, ...modelsFromConfig(config, options.openAiKey) },
    }));
    // At least one question per slice, whatever the budget: every slice makes progress.
    while (
      done < row.questions.length &&
      (done === row.done || performance.now() - started < options.budgetMs)
    ) {
      const q = row.questions[done];
      const results = [];
      for (const e of evaluating)
        results.push(
          await evaluateQuestion(e.deps, q, {
            config: e.config,
            cutoff: row.cutoff,
            collections: row.collections,
          }),
        );
      const { rows: stored } = await db.query(
        `UPDATE evaluation_runs SET done = done + 1, updated_at = now(),
           lease_until = now() + make_interval(secs => $4),
           current_results = current_results || jsonb_build_array($2::jsonb),
           draft_results = CASE WHEN $3::jsonb IS NULL THEN draft_results ELSE draft_results || jsonb_build_array($3::jsonb) END
         WHERE id = $1 AND done = $5 AND status = 'running' RETURNING done`,
        [
          row.id,
          JSON.stringify(results[0]),
          results[1] ? JSON.stringify(results[1]) : null,
          LEASE_SECONDS,
          done,
        ],
      );
      if (!stored[0]) return await getEvaluationRun(db, id); // taken over meanwhile
      done++;
    }
  } catch (e) {
    await db.query(
      `UPDATE evaluation_runs SET status = 'failed', error = $2, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status = 'running'`,
      [row.id, `Question ${done + 1}: ${(e as Error).message}`.slice(0, 1000)],
    );
    return getEvaluationRun(db, id);
  }
  if (done < row.questions.length) {
    await db.query(
      "UPDATE evaluation_runs SET lease_until = NULL WHERE id = $1 AND done = $2",
      [row.id, done],
    );
    return getEvaluationRun(db, id);
  }
  return db.transaction(async (tx) => {
    await tx.query(
      `UPDATE evaluation_runs SET status = 'done', lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status = 'running'`,
      [row.id],
    );
    const run = await getEvaluationRun(tx, id);
    await recordVersionScore(tx, {
      assistantId: run.assistantId,
      version: run.baseVersion,
      setName: run.setName,
      runId: run.id,
      report: run.current!,
    });
    return run;
  });
}
