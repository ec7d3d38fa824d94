import {
  createAssistantHandler,
  CreateAssistantChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  assistantRequest,
  createAssistant as create,
  parseInput,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { versionResponse } from "./lib/headers";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** POST /admin/assistants: a new assistant, as its version 1. */
export const createAssistant: CreateAssistantChainedHandlerFunction = async (
  request,
) => {
  const input = parseInput(assistantRequest, jsonBody(request));
  const created = await create(await database(), callerOf(request), input);
  return { ...versionResponse(created), statusCode: 201 };
};

/** Lambda entry point. */
export const handler = guard(
  createAssistantHandler(...INTERCEPTORS, createAssistant),
);
