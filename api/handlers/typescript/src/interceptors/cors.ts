import type {
  ChainedRequestInput,
  OperationResponse,
} from "@sextant/api-typescript-runtime";
import { headerIn } from "../lib/headers";

/**
 * Origins allowed to call the API from a browser besides the website, which reaches it under its
 * own origin (`/api` through CloudFront) and needs no CORS. Set by the CDK app from the
 * `allowedOrigins` context; empty by default, and never `*`.
 */
const ALLOWED_ORIGINS = (process.env.ALLOWED_ORIGINS ?? "")
  .split(",")
  .map((o) => o.trim())
  .filter((o) => o.length > 0 && o !== "*");

/** CORS headers for a request from `origin`: only when it is an allowed origin, and then only it. */
export function corsHeadersFor(
  origin: string | undefined,
): Record<string, string> {
  if (!origin || !ALLOWED_ORIGINS.includes(origin)) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Headers":
      "Authorization,Content-Type,If-Match,Idempotency-Key",
    "Access-Control-Expose-Headers": "ETag,Retry-After",
    Vary: "Origin",
  };
}

/** The request's `Origin` header, whatever its case. */
export const originOf = (
  headers: Record<string, string | undefined> | null | undefined,
): string | undefined => headerIn(headers, "origin");

/** Adds CORS headers to every response to an allowed origin. */
export async function corsForAllowedOrigins<
  P,
  B,
  R extends OperationResponse<number, any>,
>(request: ChainedRequestInput<P, B, R>): Promise<R> {
  const response = await request.chain.next(request);
  return {
    ...response,
    headers: {
      ...corsHeadersFor(originOf(request.event.headers)),
      ...response.headers,
    },
  };
}
