import { searchDocumentsHandler, SearchDocumentsChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import { currentInferenceConfig, modelsFromConfig, parseInput, searchPassages, searchRequest } from '@sextant/core/rag';
import { INTERCEPTORS } from './interceptors';
import { guard, jsonBody } from './lib/http';
import { services } from './lib/services';

/** POST /search: passages as the chat would retrieve them. */
export const searchDocuments: SearchDocumentsChainedHandlerFunction = async (request) => {
  const { query, k } = parseInput(searchRequest, jsonBody(request));
  const { db, openAiKey } = await services();
  const { config } = await currentInferenceConfig(db);
  const { embedder } = modelsFromConfig(config, openAiKey);
  return { statusCode: 200, body: { results: await searchPassages({ db, embedder }, { query, k, config }) } };
};

/** Lambda entry point. */
export const handler = guard(searchDocumentsHandler(...INTERCEPTORS, searchDocuments));
