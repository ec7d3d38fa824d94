import {
  getInferenceConfigHandler,
  GetInferenceConfigChainedHandlerFunction,
  Response,
} from '@sextant/api-typescript-runtime';
import { DEFAULT_INFERENCE_CONFIG } from '@sextant/core';
import { INTERCEPTORS } from './interceptors';

/** GET /admin/inference-config: the current configuration (administrators only, by the model). */
export const getInferenceConfig: GetInferenceConfigChainedHandlerFunction = async () => {
  // Persistence of versions arrives with the storage layer; until then version 0, the defaults.
  const version = 0;
  return { ...Response.success({ version, config: DEFAULT_INFERENCE_CONFIG }), headers: { ETag: `"${version}"` } };
};

/** Lambda entry point. */
export const handler = getInferenceConfigHandler(...INTERCEPTORS, getInferenceConfig);
