import { InvalidInputError, ServiceUnavailableError } from '@sextant/core';
import {
  askRequest,
  configForMessage,
  modelsFromConfig,
  parseInput,
  streamAnswer,
  type AnswerEvent,
} from '@sextant/core/rag';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { authorizeRequest } from './interceptors/authorize';
import { corsHeadersFor, originOf } from './interceptors/cors';
import { errorResponse } from './interceptors/errors';
import { headerIn, idempotencyKeyOf } from './lib/headers';
import { services } from './lib/services';
import { streamingHandler, type ResponseSink } from './lib/streaming';

const logger = {
  warn: (message: string, detail?: unknown) => console.warn(JSON.stringify({ level: 'WARN', message, detail })),
  error: (message: string, e?: unknown) =>
    console.error(JSON.stringify({ level: 'ERROR', message, error: (e as Error)?.name, stack: (e as Error)?.stack })),
};

/**
 * POST /sessions/{sessionId}/messages/stream: the answer as `application/x-ndjson` events while it
 * is generated. Authorization and input checks are the same as every operation's (the generated
 * interceptor chain cannot stream, so this handler applies them itself); errors before the first
 * event are ordinary error responses, a failure after it is an `error` event.
 */
export async function streamMessage(event: APIGatewayProxyEvent, _context: Context, sink: ResponseSink): Promise<void> {
  const cors = corsHeadersFor(originOf(event.headers));
  const fail = (statusCode: number, body: object, headers: Record<string, string> = {}) => {
    sink.start(statusCode, { ...cors, ...headers, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    sink.write(JSON.stringify(body));
    sink.end();
  };
  let decision: Awaited<ReturnType<typeof authorizeRequest>>;
  try {
    decision = await authorizeRequest('streamMessage', event.requestContext?.authorizer?.claims);
  } catch (e) {
    const { statusCode, body, headers } = errorResponse(e, logger);
    return fail(statusCode, body, headers);
  }
  if ('statusCode' in decision) {
    return fail(decision.statusCode, { code: decision.statusCode === 401 ? 'Unauthenticated' : 'NotAuthorized', message: decision.message });
  }
  const { caller } = decision;

  let events: AsyncGenerator<AnswerEvent>;
  let first: IteratorResult<AnswerEvent>;
  try {
    let body: unknown;
    try {
      body = event.body ? JSON.parse(event.body) : undefined;
    } catch {
      throw new InvalidInputError('The request body is not valid JSON.', [{ path: '(body)', message: 'is not valid JSON' }]);
    }
    const { question, overrides } = parseInput(askRequest, body);
    const idempotencyKey = idempotencyKeyOf(headerIn(event.headers, 'Idempotency-Key'));
    const { db, openAiKey } = await services();
    const sessionId = event.pathParameters?.sessionId ?? '';
    const config = await configForMessage(db, { caller, sessionId, overrides });
    const { models, embedder } = modelsFromConfig(config, openAiKey);
    events = streamAnswer(
      { db, embedder, models },
      {
        owner: caller.id,
        sessionId,
        question,
        config,
        signal: sink.signal,
        idempotencyKey,
      },
    );
    // The session is checked and retrieval done before the first event: those errors are statuses.
    first = await events.next();
  } catch (e) {
    const { statusCode, body, headers } = errorResponse(e, logger);
    return fail(statusCode, body, headers);
  }

  sink.start(200, { ...cors, 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
  try {
    for (let next = first; !next.done; next = await events.next()) sink.write(`${JSON.stringify(next.value)}\n`);
  } catch (e) {
    // Stopped by the client (Stop, a closed tab): nobody is listening, and nothing went wrong.
    // Stopped before the invocation's timeout: the client is told, with the reason.
    const reason = sink.signal?.reason;
    if (sink.signal?.aborted && !(reason instanceof ServiceUnavailableError)) return sink.end();
    const { body } = errorResponse(sink.signal?.aborted ? reason : e, logger);
    sink.write(`${JSON.stringify({ type: 'error', code: body.code, message: body.message })}\n`);
  }
  sink.end();
}

/** Lambda entry point (response streaming on Lambda). */
export const handler = streamingHandler(streamMessage);

/** The streaming operation itself, for servers that stream (the local stack). */
export const stream = streamMessage;
