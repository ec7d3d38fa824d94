import {
  createSessionHandler,
  CreateSessionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  assistantForNewSession,
  createSession as create,
  createSessionRequest,
  parseInput,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** POST /sessions: starts a session for the caller, with an assistant they may use (Default when none is named). */
export const createSession: CreateSessionChainedHandlerFunction = async (
  request,
) => {
  const { title, assistantId } = parseInput(
    createSessionRequest,
    jsonBody(request) ?? {},
  );
  const db = await database();
  const caller = callerOf(request);
  const assistant = assistantId
    ? await assistantForNewSession(db, caller, assistantId)
    : undefined;
  return {
    statusCode: 201,
    body: await create(db, caller.id, title, assistant?.id),
  };
};

/** Lambda entry point. */
export const handler = guard(
  createSessionHandler(...INTERCEPTORS, createSession),
);
