import {
  LoggingInterceptor,
  streamMessageHandler,
  type StreamMessageChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { ServiceUnavailableError } from "@sextant/core";
import { askQuestion } from "@sextant/core/rag";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { INTERCEPTORS } from "./interceptors";
import { corsHeadersFor, originOf } from "./interceptors/cors";
import { errorResponse } from "./interceptors/errors";
import { guard } from "./lib/http";
import { questionOf } from "./lib/question";
import { streamingHandler, type ResponseSink } from "./lib/streaming";
import { publishAnswerMetrics } from "./lib/usage-metrics";

/**
 * POST /sessions/{sessionId}/messages/stream: the answer as `application/x-ndjson` events while it
 * is generated. It runs through the same guard and interceptor chain as every operation (body
 * decoding, CORS, logging, error mapping, authorization from the model); the chain's last link
 * streams into the sink. What the chain answers before the first event — 401, 403, 400, 404, 503 —
 * is written as an ordinary response; a failure after it is an `error` event, and nothing is stored.
 */
export async function streamMessage(
  event: APIGatewayProxyEvent,
  context: Context,
  sink: ResponseSink,
): Promise<void> {
  let streamed = false;
  const answer: StreamMessageChainedHandlerFunction = async (request) => {
    const [deps, caller, ask] = await questionOf(request);
    const events = askQuestion(deps, caller, { ...ask, signal: sink.signal });
    // The session is checked and retrieval done before the first event: those errors are statuses.
    const first = await events.next();
    streamed = true;
    sink.start(200, {
      ...corsHeadersFor(originOf(request.event.headers)),
      "Content-Type": "application/x-ndjson",
      "Cache-Control": "no-store",
    });
    try {
      for (let next = first; !next.done; next = await events.next()) {
        sink.write(`${JSON.stringify(next.value)}\n`);
        if (next.value.type === "done") publishAnswerMetrics(next.value.answer);
      }
    } catch (e) {
      // Stopped by the client (Stop, a closed tab): nobody is listening, and nothing went wrong.
      // Stopped before the invocation's timeout: the client is told, with the reason.
      const reason = sink.signal?.reason;
      if (!sink.signal?.aborted || reason instanceof ServiceUnavailableError) {
        const { body } = errorResponse(
          sink.signal?.aborted ? reason : e,
          LoggingInterceptor.getLogger(request),
        );
        sink.write(
          `${JSON.stringify({ type: "error", code: body.code, message: body.message })}\n`,
        );
      }
    }
    sink.end();
    return { statusCode: 200, body: "" };
  };
  const response = await guard(streamMessageHandler(...INTERCEPTORS, answer))(
    event,
    context,
  );
  if (streamed) return;
  sink.start(response.statusCode, {
    ...(response.headers as Record<string, string>),
    "Cache-Control": "no-store",
  });
  sink.write(response.body);
  sink.end();
}

/** Lambda entry point (response streaming on Lambda). */
export const handler = streamingHandler(streamMessage);

/** The streaming operation itself, for servers that stream (the local stack). */
export const stream = streamMessage;
