import {
  ChatMessageFromJSON,
  ResponseError,
  type ChatMessage,
} from "@sextant/api-typescript-react-query-hooks";
import i18next from "i18next";
import { readNdjson } from "./ndjson";

/** One event of a streamed answer (the API's `AnswerEvent`, with the stored messages parsed). */
export type StreamedAnswerEvent =
  | { type: "token"; text: string }
  | { type: "done"; question: ChatMessage; answer: ChatMessage }
  | { type: "error"; code: string; message: string };

/** What a streamed question needs. */
export interface StreamRequest {
  readonly apiUrl: string;
  readonly accessToken: string | undefined;
  readonly sessionId: string;
  readonly question: string;
  /** Administrators' dev settings for this message only. */
  readonly overrides?: Record<string, unknown>;
  /**
   * The same for every attempt at one question, so a retry after a lost response gets the answer
   * stored the first time instead of asking twice.
   */
  readonly idempotencyKey?: string;
  /** Aborting stops the answer ("Stop"); nothing is stored for a stopped answer. */
  readonly signal?: AbortSignal;
}

/**
 * `POST /sessions/{id}/messages/stream` (not in the generated client: it is NDJSON, not one JSON
 * body). Errors before the stream starts reject with the generated client's `ResponseError`, so
 * they read like every other API error.
 */
export async function* streamAnswer(
  request: StreamRequest,
): AsyncGenerator<StreamedAnswerEvent> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/x-ndjson",
  };
  if (request.accessToken)
    headers.Authorization = `Bearer ${request.accessToken}`;
  if (request.idempotencyKey)
    headers["Idempotency-Key"] = request.idempotencyKey;
  const response = await fetch(
    `${request.apiUrl.replace(/\/$/, "")}/sessions/${encodeURIComponent(request.sessionId)}/messages/stream`,
    {
      method: "POST",
      headers,
      body: JSON.stringify({
        question: request.question,
        ...(request.overrides ? { overrides: request.overrides } : {}),
      }),
      signal: request.signal,
    },
  );
  if (!response.ok || !response.body)
    throw new ResponseError(response, "Response returned an error code");
  for await (const raw of readNdjson(response.body)) {
    const event = raw as Record<string, unknown>;
    if (event.type === "token") {
      yield { type: "token", text: String(event.text ?? "") };
    } else if (event.type === "done") {
      yield {
        type: "done",
        question: ChatMessageFromJSON(event.question),
        answer: ChatMessageFromJSON(event.answer),
      };
    } else if (event.type === "error") {
      yield {
        type: "error",
        code: String(event.code ?? "InternalFailure"),
        message: String(event.message ?? i18next.t("errors.answerFailed")),
      };
    }
  }
}
