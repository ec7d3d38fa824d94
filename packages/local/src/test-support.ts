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
): Promise<Record<"admin" | "user" | "analyst", string>> {
  const token = (name: string) =>
    requestDemoToken(
      stack.issuerUrl,
      name,
      stack.users.find((u) => u.username === name)!.password,
    );
  return {
    admin: await token("admin"),
    user: await token("user"),
    analyst: await token("analyst"),
  };
}

/**
 * Uploads a document as an administrator the way the website does (`POST
 * /admin/documents/upload-url`, then `PUT` to it); returns the upload URL. Fails naming the status
 * when either step does not answer 201.
 */
export async function uploadDocument(
  call: ReturnType<typeof apiCaller>,
  adminToken: string,
  filename: string,
  content: string,
  /** @default "General" */
  collectionId?: string,
): Promise<string> {
  const target = await call("POST", "/admin/documents/upload-url", {
    token: adminToken,
    body: {
      filename,
      size: Buffer.byteLength(content),
      ...(collectionId ? { collectionId } : {}),
    },
  });
  if (target.status !== 201)
    throw new Error(`upload-url for ${filename}: HTTP ${target.status}`);
  const put = await fetch(target.body.url, { method: "PUT", body: content });
  if (put.status !== 201)
    throw new Error(`PUT ${filename}: HTTP ${put.status}`);
  return target.body.url as string;
}

/**
 * Saves a change to the current inference configuration as an administrator (GET, then PUT with
 * its ETag); throws unless it was saved. Returns the configuration it replaced.
 */
export async function saveInferenceConfig(
  call: ReturnType<typeof apiCaller>,
  adminToken: string,
  change: (config: any) => unknown,
): Promise<any> {
  const current = await call("GET", "/admin/inference-config", {
    token: adminToken,
  });
  const saved = await call("PUT", "/admin/inference-config", {
    token: adminToken,
    headers: { "If-Match": current.headers.get("etag")! },
    body: change(current.body.config),
  });
  if (saved.status !== 200)
    throw new Error(
      `saving the inference configuration: HTTP ${saved.status} ${JSON.stringify(saved.body)}`,
    );
  return current.body.config;
}

/** Saves `answer` over the answer model's settings (a model server's endpoint, say); returns the configuration it replaced. */
export function saveAnswerModel(
  call: ReturnType<typeof apiCaller>,
  adminToken: string,
  answer: Record<string, unknown>,
): Promise<any> {
  return saveInferenceConfig(call, adminToken, (config) => ({
    ...config,
    models: {
      ...config.models,
      answer: { ...config.models.answer, ...answer },
    },
  }));
}

/** One chunk of an OpenAI-compatible streamed completion, as a model server sends it (server-sent events). */
export const openAiStreamChunk = (text: string): string =>
  `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`;

/** Every message of a session, oldest first, following `nextCursor` page by page. */
export async function allMessages(
  call: ReturnType<typeof apiCaller>,
  token: string,
  sessionId: string,
): Promise<{ id: string; role: string; content: string }[]> {
  const messages: { id: string; role: string; content: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      "GET",
      `/sessions/${sessionId}/messages?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { token },
    );
    if (page.status !== 200)
      throw new Error(`messages of ${sessionId}: HTTP ${page.status}`);
    messages.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return messages;
}
