import { z } from "zod";
import {
  evaluationQuestion,
  evaluationSetToJsonl,
  MAX_EVALUATION_QUESTIONS,
  parseEvaluationSet,
  type EvaluationQuestion,
} from "./evaluation-set";
import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import { InvalidInputError, NotFoundError } from "../errors";
import type { Caller } from "../identity/caller";
import { parseInput } from "../input/parse-input";

/** An evaluation set as listed: its name, size and last change. */
export interface EvaluationSetSummary {
  readonly name: string;
  readonly questionCount: number;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

/** A set's name: 1 to 100 letters, digits, spaces, '.', '_' or '-' (it goes in URLs). */
export const evaluationSetName = z
  .string()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u,
    "must be 1 to 100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit",
  );

/** `PUT /admin/evaluations/{name}`: the set as JSONL, replacing any set of that name. */
export const evaluationSetRequest = z
  .object({ jsonl: z.string().max(2_000_000, "at most 2 MB") })
  .strict();

const checkedName = (name: string): string => {
  const parsed = evaluationSetName.safeParse(name);
  if (!parsed.success)
    throw new InvalidInputError(`'${name}' is not a set name.`, [
      { path: "name", message: parsed.error.issues[0].message },
    ]);
  return parsed.data;
};

const notFound = (name: string) =>
  new NotFoundError(`There is no evaluation set '${name}'.`);

/** Every set, by name. */
export async function listEvaluationSets(
  db: Database,
): Promise<EvaluationSetSummary[]> {
  const { rows } = await db.query<{
    name: string;
    question_count: number;
    updated_by: string;
    updated_at: Date;
  }>(
    `SELECT name, jsonb_array_length(questions) AS question_count, updated_by, updated_at
     FROM evaluation_sets ORDER BY name`,
  );
  return rows.map((r) => ({
    name: r.name,
    questionCount: r.question_count,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }));
}

/** A set's questions; {@link NotFoundError} when there is none of that name. */
export async function evaluationSetQuestions(
  db: Database,
  name: string,
): Promise<EvaluationQuestion[]> {
  const { rows } = await db.query<{ questions: EvaluationQuestion[] }>(
    "SELECT questions FROM evaluation_sets WHERE name = $1",
    [name],
  );
  if (!rows[0]) throw notFound(name);
  return rows[0].questions;
}

/** A set as JSONL, as it was imported (export). */
export async function exportEvaluationSet(
  db: Database,
  name: string,
): Promise<string> {
  return evaluationSetToJsonl(await evaluationSetQuestions(db, name));
}

/**
 * Saves a set from JSONL under `name`, replacing one of that name, audited. The whole set is
 * checked first (400 naming each bad line and field), and nothing is written if any line is bad.
 */
export async function saveEvaluationSet(
  db: Database,
  actor: Caller | { readonly username: string },
  input: { readonly name: string; readonly jsonl: string },
): Promise<EvaluationSetSummary> {
  const name = checkedName(input.name);
  const questions = parseEvaluationSet(input.jsonl);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ created: boolean }>(
      `INSERT INTO evaluation_sets (name, questions, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET questions = EXCLUDED.questions,
         updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [name, JSON.stringify(questions), actor.username],
    );
    await recordAudit(tx, {
      actor: actor.username,
      action: "evaluation-set.save",
      target: name,
      detail: { questions: questions.length, created: rows[0].created },
    });
    return (await listEvaluationSets(tx)).find((s) => s.name === name)!;
  });
}

/**
 * Adds one question to a set, creating the set when there is none (audited
 * `evaluation-set.add-question`): how a thumbs-down answer becomes a question to measure the next
 * change by. 400 naming the field of a bad question, or when the set is full.
 */
export async function addEvaluationQuestion(
  db: Database,
  actor: Caller,
  input: { readonly name: string; readonly question: unknown },
): Promise<EvaluationSetSummary> {
  const name = checkedName(input.name);
  const question = parseInput(evaluationQuestion, input.question);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ count: number }>(
      `INSERT INTO evaluation_sets (name, questions, updated_by) VALUES ($1, jsonb_build_array($2::jsonb), $3)
       ON CONFLICT (name) DO UPDATE SET questions = evaluation_sets.questions || EXCLUDED.questions,
         updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING jsonb_array_length(questions) AS count`,
      [name, JSON.stringify(question), actor.username],
    );
    if (rows[0].count > MAX_EVALUATION_QUESTIONS)
      throw new InvalidInputError(
        `The set '${name}' holds ${MAX_EVALUATION_QUESTIONS} questions, the most one set may.`,
        [
          {
            path: "name",
            message: `is full (${MAX_EVALUATION_QUESTIONS} questions)`,
          },
        ],
      );
    await recordAudit(tx, {
      actor: actor.username,
      action: "evaluation-set.add-question",
      target: name,
      detail: { question: question.question, questions: rows[0].count },
    });
    return (await listEvaluationSets(tx)).find((s) => s.name === name)!;
  });
}

/** Deletes a set, audited; {@link NotFoundError} when there is none of that name. */
export async function deleteEvaluationSet(
  db: Database,
  actor: Caller,
  name: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query(
      "DELETE FROM evaluation_sets WHERE name = $1 RETURNING name",
      [name],
    );
    if (!rows.length) throw notFound(name);
    await recordAudit(tx, {
      actor: actor.username,
      action: "evaluation-set.delete",
      target: name,
      detail: {},
    });
  });
}
