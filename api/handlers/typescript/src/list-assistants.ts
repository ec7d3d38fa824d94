import {
  listAssistantsHandler,
  ListAssistantsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { usableAssistants } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /assistants: the assistants the caller may use. */
export const listAssistants: ListAssistantsChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 200,
  body: { items: await usableAssistants(await database(), callerOf(request)) },
});

/** Lambda entry point. */
export const handler = guard(
  listAssistantsHandler(...INTERCEPTORS, listAssistants),
);
