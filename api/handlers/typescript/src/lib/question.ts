import type { Caller } from "@sextant/core";
import {
  askRequest,
  parseInput,
  type Ask,
  type AskDependencies,
} from "@sextant/core/rag";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { idempotencyKeyOf } from "./headers";
import { headerOf, jsonBody } from "./http";
import { openAiKey } from "./openai-key";
import { database } from "./services";
import { userDirectory } from "./user-directory";
import { callerOf } from "../interceptors/authorize";

/** What asking and searching need: the database, the user directory, and the OpenAI-compatible key (if any). */
export async function askDependencies(): Promise<AskDependencies> {
  const [db, users, key] = await Promise.all([
    database(),
    userDirectory(),
    openAiKey(),
  ]);
  return { db, users, openAiKey: key };
}

/**
 * A question to one of the caller's sessions, as both message operations (answered whole, or
 * streamed) read it from their request: what answering needs, who asks, and the ask itself.
 */
export async function questionOf(request: {
  readonly event: APIGatewayProxyEvent;
  readonly interceptorContext: { [key: string]: any };
  readonly input: { readonly requestParameters: { sessionId: string } };
}): Promise<[AskDependencies, Caller, Ask]> {
  const { question, overrides } = parseInput(askRequest, jsonBody(request));
  return [
    await askDependencies(),
    callerOf(request),
    {
      sessionId: request.input.requestParameters.sessionId,
      question,
      overrides,
      idempotencyKey: idempotencyKeyOf(headerOf(request, "Idempotency-Key")),
    },
  ];
}
