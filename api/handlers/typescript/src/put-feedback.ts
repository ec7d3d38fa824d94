import {
  putFeedbackHandler,
  PutFeedbackChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { feedbackRequest, parseInput, setFeedback } from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PUT /sessions/{sessionId}/messages/{messageId}/feedback: rates an answer. */
export const putFeedback: PutFeedbackChainedHandlerFunction = async (
  request,
) => {
  const feedback = parseInput(feedbackRequest, jsonBody(request));
  const db = await database();
  const { sessionId, messageId } = request.input.requestParameters;
  return {
    statusCode: 200,
    body: (await setFeedback(db, {
      owner: callerOf(request).id,
      sessionId,
      messageId,
      feedback,
    })) as any,
  };
};

/** Lambda entry point. */
export const handler = guard(putFeedbackHandler(...INTERCEPTORS, putFeedback));
