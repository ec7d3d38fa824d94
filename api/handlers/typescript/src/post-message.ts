import { postMessageHandler, PostMessageChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import { ForbiddenError } from '@sextant/core';
import {
  askRequest,
  currentInferenceConfig,
  idempotencyKeyHeader,
  modelsFromConfig,
  parseInput,
  postMessage as ask,
  withOverrides,
} from '@sextant/core/lib/rag';
import { callerOf, INTERCEPTORS } from './interceptors';
import { guard, headerOf, jsonBody } from './lib/http';
import { services } from './lib/services';

/**
 * POST /sessions/{sessionId}/messages: answers with numbered citations; `overrides` from administrators only;
 * a retry with the same `Idempotency-Key` gets the stored pair.
 */
export const postMessage: PostMessageChainedHandlerFunction = async (request) => {
  const caller = callerOf(request);
  const { question, overrides } = parseInput(askRequest, jsonBody(request));
  const idempotencyKey = parseInput(idempotencyKeyHeader, headerOf(request, 'Idempotency-Key'), 'Idempotency-Key');
  if (overrides && !caller.isAdministrator) {
    throw new ForbiddenError("Only members of the 'Administrators' group may send overrides; send the question alone.");
  }
  const { db } = await services();
  const config = withOverrides((await currentInferenceConfig(db)).config, overrides);
  const { models, embedder } = modelsFromConfig(config);
  const body = await ask(
    { db, embedder, models },
    { owner: caller.id, sessionId: request.input.requestParameters.sessionId, question, config, idempotencyKey },
  );
  return { statusCode: 200, body: body as any };
};

/** Lambda entry point. */
export const handler = guard(postMessageHandler(...INTERCEPTORS, postMessage));
