import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { statusOf } from "./lib/api-error";

let onUnauthenticated: () => void = () => {};

/** What to do when the API says the session expired (sign in again; drafts are in session storage). */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

/** Sends the user to sign in again when a call failed with 401. */
export function checkSession(error: unknown): void {
  if (statusOf(error) === 401) onUnauthenticated();
}

/** Refetches the current inference configuration and its version history (after a save or restore). */
export function refreshInferenceConfig(): void {
  void queryClient.invalidateQueries(["getInferenceConfig"]);
  void queryClient.invalidateQueries(["listInferenceConfigVersions"]);
}

/**
 * One query client for the generated hooks: no retries of 4xx answers (they will not change), and
 * a 401 from any call sends the user to sign in again.
 */
export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: checkSession }),
  mutationCache: new MutationCache({ onError: checkSession }),
  defaultOptions: {
    queries: {
      retry: (count, error) => {
        const status = statusOf(error);
        return (status === undefined || status >= 500) && count < 2;
      },
      refetchOnWindowFocus: false,
    },
  },
});
