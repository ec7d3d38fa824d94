import { parseInput, pageRequest, type PageRequest } from "@sextant/core/store";
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from "aws-lambda";
import { headerIn } from "./headers";
import { corsHeadersFor, originOf } from "../interceptors/cors";
import { ERROR_CODES } from "../interceptors/respond";

/** A Lambda proxy handler. */
export type LambdaHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/** A handler as the generated runtime builds it (it takes interceptors to run first). */
type GeneratedHandler = (
  event: any,
  context: any,
  callback?: any,
  additionalInterceptors?: any[],
) => Promise<any>;

const errorResult = (
  event: APIGatewayProxyEvent,
  statusCode: number,
  message: string,
  fields?: { path: string; message: string }[],
): APIGatewayProxyResult => ({
  statusCode,
  headers: {
    ...corsHeadersFor(originOf(event.headers)),
    "Content-Type": "application/json",
  },
  body: JSON.stringify({
    code: ERROR_CODES[statusCode],
    message,
    ...(fields ? { fields } : {}),
  }),
});

/** Every error body in the one shape `{ code, message, fields? }`, whoever produced it. */
function withErrorShape(result: APIGatewayProxyResult): APIGatewayProxyResult {
  let body: unknown = result.body;
  if (result.statusCode < 400)
    return typeof body === "string"
      ? result
      : { ...result, body: JSON.stringify(body) };
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      body = { message: body };
    }
  }
  const error = (body ?? {}) as {
    code?: string;
    message?: string;
    fields?: unknown;
  };
  // The generated runtime rejects a mistyped path or query parameter itself, naming it in the message.
  const parameter =
    !error.fields && /parameter '([^']+)'/.exec(error.message ?? "")?.[1];
  return {
    ...result,
    headers: { ...result.headers, "Content-Type": "application/json" },
    body: JSON.stringify({
      ...error,
      code: error.code ?? ERROR_CODES[result.statusCode] ?? "InternalFailure",
      message: error.message ?? "Request failed.",
      ...(parameter
        ? { fields: [{ path: parameter, message: error.message }] }
        : {}),
    }),
  };
}

/**
 * Wraps a generated handler so that no request can produce a 500 by its shape: a body that is
 * not JSON gets 400 before the generated code parses it, a body the generated code cannot read
 * gets 400, and every error leaves in the one error shape.
 */
export function guard(handler: GeneratedHandler): LambdaHandler {
  return async (event, context) => {
    if (event.body) {
      try {
        JSON.parse(
          event.isBase64Encoded
            ? Buffer.from(event.body, "base64").toString("utf8")
            : event.body,
        );
      } catch {
        return errorResult(event, 400, "The request body is not valid JSON.", [
          { path: "(body)", message: "is not valid JSON" },
        ]);
      }
    }
    let reachedHandlers = false;
    const markReached = async (request: any) => {
      reachedHandlers = true;
      return request.chain.next(request);
    };
    try {
      return withErrorShape(
        await handler(event, context, undefined, [markReached]),
      );
    } catch (e) {
      if (!reachedHandlers) {
        return errorResult(
          event,
          400,
          "The request does not match the API: check the body against the API reference.",
          [
            {
              path: "(body)",
              message: "does not match the operation's schema",
            },
          ],
        );
      }
      console.error(
        JSON.stringify({
          level: "ERROR",
          message: "Response could not be written",
          error: (e as Error).name,
        }),
      );
      return errorResult(
        event,
        500,
        "Internal error. It has been logged; try again later.",
      );
    }
  };
}

/** The request's JSON body as sent (validated by core's schemas, not trusted from the generated types). */
export function jsonBody(request: { event: APIGatewayProxyEvent }): unknown {
  const { body, isBase64Encoded } = request.event;
  if (!body) return undefined;
  return JSON.parse(
    isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body,
  );
}

/** A request header, whatever its case. */
export function headerOf(
  request: { event: APIGatewayProxyEvent },
  name: string,
): string | undefined {
  return headerIn(request.event.headers, name);
}

/** `?limit=&cursor=`, validated (400 naming the parameter). */
export function pageOf(request: { event: APIGatewayProxyEvent }): PageRequest {
  const query = request.event.queryStringParameters ?? {};
  return parseInput(pageRequest, {
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
}
