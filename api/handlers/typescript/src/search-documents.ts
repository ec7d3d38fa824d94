import {
  searchDocumentsHandler,
  SearchDocumentsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  parseInput,
  searchDocuments as search,
  searchRequest,
} from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { askDependencies } from "./lib/question";

/** POST /search: passages as the chat would retrieve them, from the collections the caller may read. */
export const searchDocuments: SearchDocumentsChainedHandlerFunction = async (
  request,
) => {
  const query = parseInput(searchRequest, jsonBody(request));
  return {
    statusCode: 200,
    body: {
      results: await search(await askDependencies(), callerOf(request), query),
    },
  };
};

/** Lambda entry point. */
export const handler = guard(
  searchDocumentsHandler(...INTERCEPTORS, searchDocuments),
);
