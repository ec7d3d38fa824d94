import {
  createSessionHandler,
  CreateSessionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  createSession as create,
  createSessionRequest,
  parseInput,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** POST /sessions: starts a session for the caller. */
export const createSession: CreateSessionChainedHandlerFunction = async (
  request,
) => {
  const { title } = parseInput(createSessionRequest, jsonBody(request) ?? {});
  const db = await database();
  return {
    statusCode: 201,
    body: await create(db, callerOf(request).id, title),
  };
};

/** Lambda entry point. */
export const handler = guard(
  createSessionHandler(...INTERCEPTORS, createSession),
);
