import {
  answerOf,
  streamAnswer,
  type AnswerEvent,
  type Citation,
  type QuestionAndAnswer,
} from "./messages";
import { searchPassages } from "./search";
import { getSession } from "./sessions";
import { assistantForQuestion } from "../assistants/assistants";
import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { GuardrailInterventionError } from "../errors";
import type { Caller } from "../identity/caller";
import {
  configForMessage,
  refuseOverridesOfNonAdministrators,
} from "../inference-config/store";
import { modelsFromConfig } from "../providers/models-from-config";
import type { OpenAIKey } from "../providers/openai-key";
import { admitQuestion, finishAdmission } from "../usage/quotas";
import { withCurrentGroups } from "../users/user-access";
import type { UserDirectory } from "../users/user-directory";

/** What asking and searching need: the store, the user directory (for groups as they are now), and the key of an OpenAI-compatible model if any. */
export interface AskDependencies {
  readonly db: Database;
  readonly users: Pick<UserDirectory, "groupsOf">;
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
 * A question asked by `caller`, end to end: the session's assistant as it is now (its configuration
 * with an administrator's overrides, audited; its collections, as far as `caller` reads them), the
 * models it names, then the answer's events — tokens, then `done` with the stored pair. Both
 * message operations are this; they only carry it.
 */
export async function* askQuestion(
  deps: AskDependencies,
  caller: Caller,
  ask: Ask,
): AsyncGenerator<AnswerEvent> {
  const { sessionId, overrides } = ask;
  const asker = await withCurrentGroups(caller, deps.users);
  refuseOverridesOfNonAdministrators(asker, overrides);
  const session = await getSession(deps.db, asker.id, sessionId);
  // The session's assistant as it is now, and what the asker may read now: a grant removed counts
  // from this question on.
  const { assistant, collections } = await assistantForQuestion(
    deps.db,
    asker,
    session.assistantId,
  );
  const config = await configForMessage(deps.db, {
    caller: asker,
    sessionId,
    config: assistant.config,
    overrides,
  });
  const { models, embedder, reranker, guardrailChecker, piiRedactor } =
    modelsFromConfig(config, deps.openAiKey);
  // The asker's quotas, before any model is called or anything stored: over one, 429.
  const admission = await admitQuestion(deps.db, asker);
  // Set in the answer's transaction; true once it committed (the `done` event follows it).
  let storedAndMetered = false;
  let metered = false;
  const answering = streamAnswer(
    { db: deps.db, embedder, models, reranker, guardrailChecker, piiRedactor },
    {
      owner: caller.id,
      sessionId,
      question: ask.question,
      config,
      signal: ask.signal,
      idempotencyKey: ask.idempotencyKey,
      collections,
      // Metered and counted with the stored answer, in its transaction. An answer no model wrote
      // (offline, a denied topic) is recorded too, with no tokens, so answers count whatever the
      // models.
      onStored: async (tx, answerId, result) => {
        await finishAdmission(tx, admission, {
          who: {
            username: asker.username,
            groups: asker.groups,
            assistantId: assistant.id,
            messageId: answerId,
          },
          calls: result.calls.length
            ? result.calls
            : [
                {
                  step: "answer",
                  provider: "extractive",
                  model: "extractive",
                  inputTokens: 0,
                  outputTokens: 0,
                  latencyMs: Math.round(
                    Object.values(result.latencyMs).reduce(
                      (a, b) => a + (b ?? 0),
                      0,
                    ),
                  ),
                },
              ],
        });
        storedAndMetered = true;
      },
    },
  );
  const intervened = (detail: Record<string, unknown>) =>
    recordAudit(deps.db, {
      actor: caller.username,
      action: "guardrail.intervened",
      target: assistant.name,
      detail: { ...detail, assistantId: assistant.id, sessionId },
    });
  try {
    for await (const event of answering) {
      if (event.type === "done") {
        metered = storedAndMetered;
        // Every intervention is recorded: which topic, on the question, by whom, with which
        // assistant; never the question itself.
        if (event.declined)
          await intervened({
            guardrail: "denied-topic",
            topic: event.declined.topic,
            on: "question",
          });
      }
      yield event;
    }
  } catch (e) {
    // A Bedrock guardrail stopped the question or the answer: nothing was stored; recorded, then
    // the guardrail's message goes to the asker (400, or an `error` event in a stream).
    if (e instanceof GuardrailInterventionError)
      await intervened({
        guardrail: e.guardrail,
        on: e.on === "input" ? "question" : "answer",
        ...(e.policies.length ? { policies: e.policies } : {}),
      });
    throw e;
  } finally {
    // Not answered here (stopped, failed, refused by a guardrail, or an answer stored earlier
    // under the same key): the question no longer counts.
    if (!metered) await finishAdmission(deps.db, admission, false);
  }
}

/** {@link askQuestion}, answered in one piece: the stored question and answer. */
export function askQuestionAndWait(
  deps: AskDependencies,
  caller: Caller,
  ask: Ask,
): Promise<QuestionAndAnswer> {
  return answerOf(askQuestion(deps, caller, ask));
}

/**
 * Passages for a query from what `caller` may read, as an assistant's retrieval would find them
 * (Default's unless one is named): narrowed to that assistant's collections when one is named, and
 * to `collectionIds` when given.
 */
export async function searchDocuments(
  deps: AskDependencies,
  caller: Caller,
  input: {
    readonly query: string;
    readonly k?: number;
    readonly assistantId?: string;
    readonly collectionIds?: readonly string[];
  },
): Promise<Citation[]> {
  const scope = await assistantForQuestion(
    deps.db,
    await withCurrentGroups(caller, deps.users),
    input.assistantId ?? DEFAULT_ASSISTANT_ID,
  );
  const { config } = scope.assistant;
  const { embedder, reranker } = modelsFromConfig(config, deps.openAiKey);
  const collections = input.collectionIds
    ? scope.collections.filter((c) => input.collectionIds!.includes(c))
    : scope.collections;
  return searchPassages(
    { db: deps.db, embedder, reranker },
    { query: input.query, k: input.k, config, collections },
  );
}
