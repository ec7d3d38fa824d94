import {
  answerOf,
  streamAnswer,
  type AnswerEvent,
  type Citation,
  type QuestionAndAnswer,
} from "./messages";
import { searchPassages } from "./search";
import { readableCollections } from "../collections/collections";
import type { Database } from "../db/database";
import type { Caller } from "../identity/caller";
import {
  configForMessage,
  currentInferenceConfig,
} from "../inference-config/store";
import { modelsFromConfig } from "../providers/models-from-config";
import type { OpenAIKey } from "../providers/openai-key";

/** What asking and searching need: the store, and the key of an OpenAI-compatible model if any. */
export interface AskDependencies {
  readonly db: Database;
  readonly openAiKey?: OpenAIKey;
}

/** A question in one of the caller's sessions. */
export interface Ask {
  readonly sessionId: string;
  readonly question: string;
  /** An administrator's changes to the configuration for this message only (403 for others). */
  readonly overrides?: Record<string, unknown>;
  /** The client's `Idempotency-Key`: a retry gets the stored pair. */
  readonly idempotencyKey?: string;
  /** Stops the answer (the client went away): nothing is stored. */
  readonly signal?: AbortSignal;
}

/**
 * A question asked by `caller`, end to end: the current inference configuration with an
 * administrator's overrides (audited), the models it names, then the answer's events — tokens,
 * then `done` with the stored pair. Both message operations are this; they only carry it.
 */
export async function* askQuestion(
  deps: AskDependencies,
  caller: Caller,
  ask: Ask,
): AsyncGenerator<AnswerEvent> {
  const { sessionId, overrides } = ask;
  const config = await configForMessage(deps.db, {
    caller,
    sessionId,
    overrides,
  });
  const { models, embedder } = modelsFromConfig(config, deps.openAiKey);
  // What the asker may read now: a grant removed counts from this question on.
  const collections = await readableCollections(deps.db, caller.groups);
  yield* streamAnswer(
    { db: deps.db, embedder, models },
    {
      owner: caller.id,
      sessionId,
      question: ask.question,
      config,
      signal: ask.signal,
      idempotencyKey: ask.idempotencyKey,
      collections,
    },
  );
}

/** {@link askQuestion}, answered in one piece: the stored question and answer. */
export function askQuestionAndWait(
  deps: AskDependencies,
  caller: Caller,
  ask: Ask,
): Promise<QuestionAndAnswer> {
  return answerOf(askQuestion(deps, caller, ask));
}

/** Passages for a query, as the current configuration's retrieval would find them, from what `caller` may read. */
export async function searchDocuments(
  deps: AskDependencies,
  caller: Caller,
  input: { readonly query: string; readonly k?: number },
): Promise<Citation[]> {
  const { config } = await currentInferenceConfig(deps.db);
  const { embedder } = modelsFromConfig(config, deps.openAiKey);
  const collections = await readableCollections(deps.db, caller.groups);
  return searchPassages(
    { db: deps.db, embedder },
    { ...input, config, collections },
  );
}
