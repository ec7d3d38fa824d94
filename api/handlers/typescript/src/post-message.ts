import {
  postMessageHandler,
  PostMessageChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { askQuestionAndWait, askRequest, parseInput } from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { idempotencyKeyOf } from "./lib/headers";
import { guard, headerOf, jsonBody } from "./lib/http";
import { openAiKey } from "./lib/openai-key";
import { database } from "./lib/services";

/**
 * POST /sessions/{sessionId}/messages: answers with numbered citations; `overrides` from administrators only;
 * a retry with the same `Idempotency-Key` gets the stored pair.
 */
export const postMessage: PostMessageChainedHandlerFunction = async (
  request,
) => {
  const { question, overrides } = parseInput(askRequest, jsonBody(request));
  const body = await askQuestionAndWait(
    { db: await database(), openAiKey: await openAiKey() },
    callerOf(request),
    {
      sessionId: request.input.requestParameters.sessionId,
      question,
      overrides,
      idempotencyKey: idempotencyKeyOf(headerOf(request, "Idempotency-Key")),
    },
  );
  return { statusCode: 200, body: body as any };
};

/** Lambda entry point. */
export const handler = guard(postMessageHandler(...INTERCEPTORS, postMessage));
