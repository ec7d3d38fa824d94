import {
  postMessageHandler,
  PostMessageChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { askQuestionAndWait } from "@sextant/core/rag";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { questionOf } from "./lib/question";
import { publishAnswerMetrics } from "./lib/usage-metrics";

/**
 * POST /sessions/{sessionId}/messages: answers with numbered citations; `overrides` from administrators only;
 * a retry with the same `Idempotency-Key` gets the stored pair.
 */
export const postMessage: PostMessageChainedHandlerFunction = async (
  request,
) => {
  const body = await askQuestionAndWait(...(await questionOf(request)));
  publishAnswerMetrics(body.answer);
  return { statusCode: 200, body: body as any };
};

/** Lambda entry point. */
export const handler = guard(postMessageHandler(...INTERCEPTORS, postMessage));
