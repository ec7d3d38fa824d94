import { z } from "zod";
import { InvalidInputError } from "../errors";

/** One question of an evaluation set, with what a good answer draws on. */
export interface EvaluationQuestion {
  readonly question: string;
  /** Each names a document whose title or source contains it (case-insensitive). */
  readonly expectedSources: readonly string[];
  /** Facts a good answer states (judged by a model; not used by the retrieval metrics). */
  readonly expectedFacts: readonly string[];
}

/** One question as a JSONL line or a request body has it. */
export const evaluationQuestion = z
  .object({
    question: z.string().trim().min(1, "must not be empty").max(2000),
    expectedSources: z
      .array(z.string().trim().min(1, "must not be empty").max(500))
      .min(1, "must name at least one source")
      .max(50),
    expectedFacts: z
      .array(z.string().trim().min(1).max(2000))
      .max(50)
      .default([]),
  })
  .strict();

/** Most questions one set holds. */
export const MAX_EVALUATION_QUESTIONS = 2000;

/**
 * Reads an evaluation set from JSONL: one `{ "question", "expectedSources", "expectedFacts"? }`
 * per line; blank lines are skipped. Throws {@link InvalidInputError} naming every bad line and
 * field (`line 3: expectedSources must name at least one source`), and reads nothing from a set
 * with any.
 */
export function parseEvaluationSet(jsonl: string): EvaluationQuestion[] {
  const questions: EvaluationQuestion[] = [];
  const fields: { path: string; message: string }[] = [];
  jsonl.split("\n").forEach((text, i) => {
    if (!text.trim()) return;
    const at = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      fields.push({ path: at, message: "is not JSON" });
      return;
    }
    const parsed = evaluationQuestion.safeParse(value);
    if (parsed.success) questions.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        fields.push({
          path: [at, ...issue.path.map(String)].join(": "),
          message: issue.message,
        });
  });
  if (!fields.length && questions.length === 0)
    fields.push({ path: "(set)", message: "holds no question" });
  if (questions.length > MAX_EVALUATION_QUESTIONS)
    fields.push({
      path: "(set)",
      message: `holds ${questions.length} questions; at most ${MAX_EVALUATION_QUESTIONS}`,
    });
  if (fields.length)
    throw new InvalidInputError(
      `The evaluation set is not valid: ${fields
        .slice(0, 5)
        .map((f) => `${f.path} ${f.message}`)
        .join(
          "; ",
        )}${fields.length > 5 ? `; and ${fields.length - 5} more` : ""}.`,
      fields,
    );
  return questions;
}

/** The set as JSONL, one question per line (what {@link parseEvaluationSet} reads). */
export const evaluationSetToJsonl = (
  questions: readonly EvaluationQuestion[],
): string =>
  questions
    .map((q) =>
      JSON.stringify({
        question: q.question,
        expectedSources: q.expectedSources,
        ...(q.expectedFacts.length ? { expectedFacts: q.expectedFacts } : {}),
      }),
    )
    .join("\n") + "\n";
