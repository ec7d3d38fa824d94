import { LoggingInterceptor } from "@sextant/api-typescript-runtime";
import { authorize } from "./authorize";
import { corsForAllowedOrigins } from "./cors";
import { mapErrors } from "./errors";

export { authorize, callerOf } from "./authorize";

/**
 * Every Sextant handler's interceptors, outermost first: CORS for allowed origins, structured
 * logging, error mapping, then authorization from the model. Handlers must use this list, not the
 * runtime's `INTERCEPTORS` (a test checks every handler denies as its model says).
 */
export const INTERCEPTORS = [
  corsForAllowedOrigins,
  LoggingInterceptor.intercept,
  mapErrors,
  authorize,
] as const;
