import type { LocalStack } from "./stack.js";
import { requestDemoToken } from "./token.js";

/** What an API call answered: status, headers and the parsed JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** Options of one call: who calls, and a JSON body (or raw text). */
export interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/** Calls the stack's API over real HTTP, the way the website and scripts do (tests and benchmarks). */
export function apiCaller(apiUrl: string) {
  return async (
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiAnswer> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined || options.raw !== undefined
          ? { "Content-Type": "application/json" }
          : {}),
        ...options.headers,
      },
      body:
        options.raw ??
        (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    let body: unknown = text || undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (NDJSON streams, HTML): keep the text
    }
    return { status: response.status, headers: response.headers, body };
  };
}

/** Access tokens of the stack's demo users, from the local issuer. */
export async function demoTokens(
  stack: Pick<LocalStack, "issuerUrl" | "users">,
): Promise<Record<"admin" | "user", string>> {
  const password = (name: string) =>
    stack.users.find((u) => u.username === name)!.password;
  return {
    admin: await requestDemoToken(stack.issuerUrl, "admin", password("admin")),
    user: await requestDemoToken(stack.issuerUrl, "user", password("user")),
  };
}
