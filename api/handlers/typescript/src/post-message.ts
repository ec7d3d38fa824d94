import { postMessageHandler, PostMessageChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import {
  askRequest,
  configForMessage,
  modelsFromConfig,
  parseInput,
  postMessage as ask,
} from '@sextant/core/rag';
import { callerOf, INTERCEPTORS } from './interceptors';
import { idempotencyKeyOf } from './lib/headers';
import { guard, headerOf, jsonBody } from './lib/http';
import { services } from './lib/services';

/**
 * POST /sessions/{sessionId}/messages: answers with numbered citations; `overrides` from administrators only;
 * a retry with the same `Idempotency-Key` gets the stored pair.
 */
export const postMessage: PostMessageChainedHandlerFunction = async (request) => {
  const caller = callerOf(request);
  const { question, overrides } = parseInput(askRequest, jsonBody(request));
  const idempotencyKey = idempotencyKeyOf(headerOf(request, 'Idempotency-Key'));
  const { db, openAiKey } = await services();
  const sessionId = request.input.requestParameters.sessionId;
  const config = await configForMessage(db, { caller, sessionId, overrides });
  const { models, embedder } = modelsFromConfig(config, openAiKey);
  const body = await ask(
    { db, embedder, models },
    { owner: caller.id, sessionId, question, config, idempotencyKey },
  );
  return { statusCode: 200, body: body as any };
};

/** Lambda entry point. */
export const handler = guard(postMessageHandler(...INTERCEPTORS, postMessage));
