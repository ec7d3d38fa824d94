import type { TokenUsage } from "../chain/language-model";
import type { Database } from "../db/database";
import { InvalidInputError, NotFoundError } from "../errors";
import { getSession, UNTITLED_SESSION } from "./sessions";
import { assistantById } from "../assistants/assistants";
import {
  answerQuestion,
  type ChainDependencies,
  type ChainResult,
} from "../chain/answer-question";
import { OFFLINE_PII_REDACTOR, redactPii } from "../guardrails/redact-pii";
import type { InferenceConfig } from "../inference-config/schema";
import { describeLocation, type PassageLocation } from "../ingest/location";
import { decodeCursor, isUuid, toPage, type Page } from "../input/cursor";
import type { PageRequest } from "../input/requests";
import type {
  RetrievalOptions,
  RetrievedChunk,
} from "../retrieval/retrieve-hybrid";
import { costOf } from "../usage/model-prices";

/** A numbered source of an answer: `[n]` in the answer text cites `sources[n-1]`. */
export interface Citation {
  readonly number: number;
  readonly documentId: string;
  readonly source: string;
  readonly title: string;
  readonly chunkId: string;
  readonly text: string;
  readonly score: number;
  /** Where the passage is in its document, as people say it ("p. 12", "slide 4"). */
  readonly location?: string;
  /** The PDF page it is on, to open the original there. */
  readonly page?: number;
  /** In a shared conversation: the viewer may not read this document, so nothing of it is given. */
  readonly withheld?: boolean;
}

/** A retrieved passage as the answer's `n`th source (`n` from 0). */
export const toCitation = (passage: RetrievedChunk, n: number): Citation => ({
  number: n + 1,
  documentId: passage.documentId,
  source: passage.source,
  title: passage.title,
  chunkId: passage.chunkId,
  text: passage.text,
  score: passage.score,
  ...citedLocation(passage.location),
});

/** A passage's location as a citation gives it: its description, and the page of a PDF (not of an attachment). */
function citedLocation(
  location: PassageLocation | undefined,
): Pick<Citation, "location" | "page"> {
  const described = describeLocation(location);
  return {
    ...(described ? { location: described } : {}),
    ...(location?.page !== undefined && !location.attachment
      ? { page: location.page }
      : {}),
  };
}

/** Feedback on an answer. */
export interface Feedback {
  readonly rating: "up" | "down";
  readonly comment?: string;
}

/** One message of a session: a question, or an answer with its sources, timings and usage. */
export interface ChatMessage {
  readonly id: string;
  readonly role: "user" | "assistant";
  readonly content: string;
  readonly createdAt: Date;
  readonly sources: readonly Citation[];
  /** Milliseconds per chain step and in total (answers only). */
  readonly latencyMs?: ChainResult["latencyMs"] & { total: number };
  /** Tokens in and out, and the estimated cost in dollars when its models are priced. */
  readonly usage?: TokenUsage & { readonly costUsd?: number };
  /** True when no language model wrote the answer (the offline extractive answerer did). */
  readonly extractive?: boolean;
  readonly feedback?: Feedback;
}

interface MessageRow {
  id: string;
  seq: string;
  role: "user" | "assistant";
  content: string;
  sources: Citation[];
  latency_ms: Record<string, number>;
  usage: TokenUsage & { costUsd?: number; extractive?: boolean };
  created_at: Date;
  rating: "up" | "down" | null;
  comment: string | null;
}

function toMessage(r: MessageRow): ChatMessage {
  const { extractive, ...usage } = r.usage;
  return {
    id: r.id,
    role: r.role,
    content: r.content,
    createdAt: r.created_at,
    sources: r.sources,
    ...(r.role === "assistant"
      ? {
          latencyMs: r.latency_ms as ChatMessage["latencyMs"],
          usage,
          extractive: extractive === true,
        }
      : {}),
    ...(r.rating
      ? {
          feedback: {
            rating: r.rating,
            ...(r.comment ? { comment: r.comment } : {}),
          },
        }
      : {}),
  };
}

const MESSAGE_COLUMNS = `m.id, m.seq, m.role, m.content, m.sources, m.latency_ms, m.usage, m.created_at, f.rating, f.comment`;

/** The session's messages, oldest first. */
export async function listMessages(
  db: Database,
  owner: string,
  sessionId: string,
  page: PageRequest,
): Promise<Page<ChatMessage>> {
  await getSession(db, owner, sessionId);
  const after = page.cursor ? decodeCursor(page.cursor, ["integer"])[0] : null;
  const { rows } = await db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN feedback f ON f.message_id = m.id
     WHERE m.session_id = $1 AND ($2::bigint IS NULL OR m.seq > $2) ORDER BY m.seq LIMIT $3`,
    [sessionId, after === null ? null : Number(after), page.limit + 1],
  );
  return toPage(rows, page.limit, toMessage, (r) => [Number(r.seq)]);
}

/**
 * Every message of a session, oldest first, whoever owns it: only for a caller whose access was
 * checked first (a viewer of a shared conversation, shares.ts).
 */
export async function messagesOfSession(
  db: Database,
  sessionId: string,
): Promise<ChatMessage[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN feedback f ON f.message_id = m.id
     WHERE m.session_id = $1 ORDER BY m.seq`,
    [sessionId],
  );
  return rows.map(toMessage);
}

/** A question and its answer, as stored. */
export interface QuestionAndAnswer {
  readonly question: ChatMessage;
  readonly answer: ChatMessage;
}

/** What {@link streamAnswer} yields: answer tokens as they are generated, then both stored messages. */
export type AnswerEvent =
  | { readonly type: "token"; readonly text: string }
  | ({
      readonly type: "done";
      /** The denied topic the question was declined for, to be recorded (never the question). */
      readonly declined?: { readonly topic: string };
      /** The model calls the answer took, to be metered (none for an answer stored earlier). */
      readonly calls?: ChainResult["calls"];
    } & QuestionAndAnswer);

/** `{ costUsd }` of a message's model calls, when any of them is priced; `{}` otherwise. */
function messageCost(calls: ChainResult["calls"]): { costUsd?: number } {
  const costs = calls
    .map((c) => costOf(c.provider, c.model, c))
    .filter((c): c is number => c !== undefined);
  return costs.length ? { costUsd: costs.reduce((a, b) => a + b, 0) } : {};
}

/** Postgres' unique_violation. */
const UNIQUE_VIOLATION = "23505";

/**
 * The question and answer stored under the session's idempotency key, if any; 400 naming
 * `Idempotency-Key` when the key was used for another question.
 */
async function storedPair(
  db: Database,
  sessionId: string,
  key: string,
  question: string,
): Promise<QuestionAndAnswer | undefined> {
  const { rows } = await db.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN feedback f ON f.message_id = m.id
     WHERE m.session_id = $1 AND m.idempotency_key = $2 ORDER BY m.seq`,
    [sessionId, key],
  );
  if (rows.length === 0) return undefined;
  if (rows[0].content !== question) {
    throw new InvalidInputError(
      "This Idempotency-Key was already used for another question in this session: use a new key for each question.",
      [{ path: "Idempotency-Key", message: "was used for another question" }],
    );
  }
  const [q, a] = rows.map(toMessage);
  return { question: q, answer: a };
}

/**
 * Answers a question in the owner's session: the chain runs over the session's recent turns, and
 * the question and its answer (sources, latency per step, token usage) are stored together in one
 * transaction once the answer is complete — a failure stores neither. With an `idempotencyKey`,
 * a retry of a question already answered (the response was lost, say) yields the stored pair,
 * without tokens and without running the chain again, so a session never holds a question twice.
 */
export async function* streamAnswer(
  deps: ChainDependencies,
  input: {
    readonly owner: string;
    readonly sessionId: string;
    readonly question: string;
    readonly config: InferenceConfig;
    readonly signal?: AbortSignal;
    /** The client's `Idempotency-Key` (validated by the handlers: 1 to 200 visible ASCII characters). */
    readonly idempotencyKey?: string;
    /** The collections the answer may draw on: the asker's, read at this question. */
    readonly collections: RetrievalOptions["collections"];
    /**
     * Runs in the transaction that stores the answer (its usage metered with it: stored once,
     * metered once, or neither); not for an answer stored earlier under the same key.
     */
    readonly onStored?: (
      tx: Database,
      answerId: string,
      result: ChainResult,
    ) => Promise<void>;
  },
): AsyncGenerator<AnswerEvent> {
  const started = performance.now();
  const session = await getSession(deps.db, input.owner, input.sessionId);
  const key = input.idempotencyKey;
  // What is stored: with `guardrails.redactPii`, personal data as typed placeholders.
  const { redactPii: redacting, redactBeforeModel } = input.config.guardrails;
  const redactor = deps.piiRedactor ?? OFFLINE_PII_REDACTOR;
  const stored = async (text: string) =>
    redacting ? redactor.redact(text) : text;
  const storedQuestion = await stored(input.question);
  const replay =
    key && (await storedPair(deps.db, session.id, key, storedQuestion));
  if (replay) {
    yield { type: "done", ...replay };
    return;
  }
  const { rows: recent } = await deps.db.query<{
    role: "user" | "assistant";
    content: string;
  }>(
    `SELECT role, content FROM (SELECT role, content, seq FROM messages WHERE session_id = $1 ORDER BY seq DESC LIMIT $2) t ORDER BY seq`,
    [session.id, input.config.historyTurns * 2],
  );
  let result: ChainResult | undefined;
  for await (const event of answerQuestion(deps, {
    // The models see the question as asked, unless it is to be redacted before them too.
    question: redactBeforeModel
      ? await redactor.redact(input.question)
      : input.question,
    history: recent,
    config: input.config,
    signal: input.signal,
    collections: input.collections,
  })) {
    if (event.type === "token") yield event;
    else result = event.result;
  }
  if (!result) throw new Error("The chain ended without a result.");
  const sources = result.sources.map(toCitation);
  const storedAnswer = await stored(result.answer);
  const latencyMs = {
    ...result.latencyMs,
    total: Math.round((performance.now() - started) * 100) / 100,
  };
  let pair: QuestionAndAnswer;
  try {
    pair = await deps.db.transaction(async (tx) => {
      const { rows } = await tx.query<MessageRow>(
        `WITH q AS (
         INSERT INTO messages (session_id, role, content, idempotency_key) VALUES ($1, 'user', $2, $7) RETURNING *
       ), a AS (
         INSERT INTO messages (session_id, role, content, sources, latency_ms, usage, idempotency_key)
         SELECT $1, 'assistant', $3, $4, $5, $6, $7 FROM q RETURNING *
       )
       SELECT id, seq, role, content, sources, latency_ms, usage, created_at, NULL AS rating, NULL AS comment FROM q
       UNION ALL
       SELECT id, seq, role, content, sources, latency_ms, usage, created_at, NULL, NULL FROM a`,
        [
          session.id,
          storedQuestion,
          storedAnswer,
          JSON.stringify(sources),
          JSON.stringify(latencyMs),
          JSON.stringify({
            ...result!.usage,
            // The message's estimated cost: the sum of its priced model calls (absent when none is priced).
            ...messageCost(result!.calls),
            extractive: result!.extractive,
          }),
          key ?? null,
        ],
      );
      await tx.query(
        `UPDATE chat_sessions SET updated_at = now(), title = CASE WHEN title = $2 THEN $3 ELSE title END WHERE id = $1`,
        [session.id, UNTITLED_SESSION, titleFrom(storedQuestion)],
      );
      const [question, answer] = rows
        .sort((a, b) => Number(a.seq) - Number(b.seq))
        .map(toMessage);
      await input.onStored?.(tx, answer.id, result!);
      return { question, answer };
    });
  } catch (e) {
    // The same key's first request stored its pair while this one was answering: answer with that.
    const concurrent =
      key &&
      (e as { code?: string }).code === UNIQUE_VIOLATION &&
      (await storedPair(deps.db, session.id, key, storedQuestion));
    if (!concurrent) throw e;
    pair = concurrent;
  }
  yield {
    type: "done",
    ...pair,
    calls: result.calls,
    ...(result.declined ? { declined: result.declined } : {}),
  };
}

/** Answers a question in the owner's session and returns both stored messages (see {@link streamAnswer}). */
export function postMessage(
  deps: ChainDependencies,
  input: Parameters<typeof streamAnswer>[1],
): Promise<QuestionAndAnswer> {
  return answerOf(streamAnswer(deps, input));
}

/** The stored question and answer that ends an answer's events. */
export async function answerOf(
  events: AsyncIterable<AnswerEvent>,
): Promise<QuestionAndAnswer> {
  for await (const event of events) {
    if (event.type === "done")
      return { question: event.question, answer: event.answer };
  }
  throw new Error("The answer stream ended early.");
}

/** A session title from its first question. */
function titleFrom(question: string): string {
  const line = question.replace(/\s+/g, " ").trim();
  return line.length <= 60 ? line : `${line.slice(0, 59).trimEnd()}…`;
}

/** Records the owner's feedback on an answer in their session (replacing earlier feedback). */
export async function setFeedback(
  db: Database,
  input: {
    owner: string;
    sessionId: string;
    messageId: string;
    feedback: Feedback;
  },
): Promise<Feedback> {
  const session = await getSession(db, input.owner, input.sessionId);
  if (!isUuid(input.messageId))
    throw new NotFoundError(`There is no message ${input.messageId}.`);
  const { rows } = await db.query<{ role: string }>(
    "SELECT role FROM messages WHERE id = $1 AND session_id = $2",
    [input.messageId, input.sessionId],
  );
  if (!rows[0])
    throw new NotFoundError(`There is no message ${input.messageId}.`);
  if (rows[0].role !== "assistant") {
    throw new InvalidInputError("Feedback is for answers, not questions.", [
      { path: "messageId", message: "must be an answer's id" },
    ]);
  }
  // A comment is stored redacted when the conversation's assistant redacts personal data.
  const { comment } = input.feedback;
  const redacting =
    comment !== undefined &&
    (await assistantById(db, session.assistantId)).config.guardrails
      .redactPii === true;
  const feedback: Feedback = {
    ...input.feedback,
    ...(redacting ? { comment: redactPii(comment).text } : {}),
  };
  await db.query(
    `INSERT INTO feedback (message_id, owner, rating, comment) VALUES ($1, $2, $3, $4)
     ON CONFLICT (message_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, created_at = now()`,
    [input.messageId, input.owner, feedback.rating, feedback.comment ?? null],
  );
  return feedback;
}
