import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  LambdaHandler,
  ResponseSink,
} from "@sextant/api-typescript-handlers";
import { MAX_REQUEST_BODY_BYTES } from "@sextant/core/store";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { InvalidTokenError, type TokenVerifier } from "./verify-token.js";

export type { LambdaHandler };

/** One API operation: its route from the model and its Lambda handler. */
export interface Route {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly handler: LambdaHandler;
  /** For operations that stream their response: written to as it is produced, like Lambda response streaming. */
  readonly stream?: (
    event: APIGatewayProxyEvent,
    context: Context,
    sink: ResponseSink,
  ) => Promise<void>;
}

/** Options for {@link createApiAdapter}. */
export interface ApiAdapterOptions {
  readonly routes: readonly Route[];
  readonly verifier: TokenVerifier;
  /** Path prefix the API is served under (`/api` locally). */
  readonly basePath: string;
  /** Largest accepted request body. @default MAX_REQUEST_BODY_BYTES (what the web ACLs allow on AWS) */
  readonly maxBodyBytes?: number;
}

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly params: string[];
}

function compile(route: Route): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
      params.push(name);
      return "([^/]+)";
    });
  return { ...route, pattern: new RegExp(`^${source}$`), params };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/**
 * Claims as API Gateway's Cognito authorizer passes them to a Lambda: every value a string,
 * arrays flattened to comma-separated lists.
 */
function flattenClaims(
  payload: Record<string, unknown>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [
      k,
      Array.isArray(v)
        ? v.join(",")
        : typeof v === "object"
          ? JSON.stringify(v)
          : String(v),
    ]),
  );
}

async function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Past the limit, keep reading (and dropping) a while so the client sees the 413 rather than
    // a reset connection; a client that keeps sending far beyond it is cut off.
    if (size > limit * 16) req.destroy();
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit)
    throw new RangeError(`Request body exceeds ${limit} bytes.`);
  return chunks.length ? Buffer.concat(chunks).toString("utf8") : null;
}

/**
 * Serves the API's Lambda handlers over node:http the way API Gateway does on AWS: verify the
 * bearer token (401 otherwise), match the route (404/405), build the proxy event with the verified
 * claims, call the handler, write its result.
 */
export function createApiAdapter(
  options: ApiAdapterOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const routes = options.routes.map(compile);
  const limit = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.slice(options.basePath.length) || "/";
    const candidates = routes.filter((r) => r.pattern.test(path));
    if (candidates.length === 0)
      return sendJson(res, 404, {
        code: "NotFound",
        message: `No API operation at ${path}.`,
      });
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      const allow = candidates.map((r) => r.method).join(", ");
      return sendJson(
        res,
        405,
        {
          code: "BadRequest",
          message: `${req.method} is not allowed on ${path}; use ${allow}.`,
        },
        { Allow: allow },
      );
    }

    let claims: Record<string, string>;
    try {
      claims = flattenClaims(
        (await options.verifier.verify(req.headers.authorization)) as Record<
          string,
          unknown
        >,
      );
    } catch (e) {
      if (e instanceof InvalidTokenError) {
        return sendJson(
          res,
          401,
          { code: "Unauthenticated", message: e.message },
          { "WWW-Authenticate": 'Bearer error="invalid_token"' },
        );
      }
      throw e;
    }

    let body: string | null;
    try {
      body = await readBody(req, limit);
    } catch (e) {
      if (e instanceof RangeError)
        return sendJson(res, 413, {
          code: "PayloadTooLarge",
          message: e.message,
        });
      throw e;
    }

    const match = route.pattern.exec(path)!;
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(
        route.params.map((name, i) => [name, decodeURIComponent(match[i + 1])]),
      );
    } catch {
      return sendJson(res, 400, {
        code: "BadRequest",
        message: "The path has a malformed %-escape.",
      });
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.join(",") : (v ?? ""),
      ]),
    );
    const query = [...url.searchParams.keys()];
    const requestId = randomUUID();
    const event = {
      httpMethod: route.method,
      path,
      resource: route.path,
      headers,
      multiValueHeaders: Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k, [v]]),
      ),
      queryStringParameters: query.length
        ? Object.fromEntries(query.map((k) => [k, url.searchParams.get(k)!]))
        : null,
      multiValueQueryStringParameters: query.length
        ? Object.fromEntries(query.map((k) => [k, url.searchParams.getAll(k)]))
        : null,
      pathParameters: route.params.length ? pathParameters : null,
      stageVariables: null,
      body,
      isBase64Encoded: false,
      requestContext: {
        requestId,
        stage: "local",
        httpMethod: route.method,
        path: `${options.basePath}${path}`,
        resourcePath: route.path,
        identity: { sourceIp: req.socket.remoteAddress ?? "" },
        authorizer: { claims },
      },
    } as unknown as APIGatewayProxyEvent;
    const context = {
      awsRequestId: requestId,
      functionName: `sextant-local-${route.operationId}`,
    } as Context;

    if (route.stream) {
      // The client going away stops the answer (a "stop" button, a closed tab).
      const abort = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) abort.abort();
      });
      return route.stream(event, context, {
        start: (statusCode, responseHeaders) =>
          res.writeHead(statusCode, {
            ...responseHeaders,
            "Cache-Control": "no-store",
          }),
        write: (chunk) => void res.write(chunk),
        end: () => void res.end(),
        signal: abort.signal,
      });
    }
    const result = await route.handler(event, context);
    res.writeHead(result.statusCode, {
      ...(result.headers as Record<string, string>),
      "Cache-Control": "no-store",
    });
    res.end(result.body);
  };
}
