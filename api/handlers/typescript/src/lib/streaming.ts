import { ServiceUnavailableError } from "@sextant/core";
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from "aws-lambda";

/** Where a streaming operation writes its response: status and headers first, then the body in pieces. */
export interface ResponseSink {
  /**
   * Aborted when the client goes away, or on Lambda when the response stream closes or fails
   * before the answer ends, or when the invocation is about to time out.
   */
  readonly signal?: AbortSignal;
  start(statusCode: number, headers: Record<string, string>): void;
  write(chunk: string): void;
  end(): void;
}

/** An operation that streams its response. */
export type StreamingOperation = (
  event: APIGatewayProxyEvent,
  context: Context,
  sink: ResponseSink,
) => Promise<void>;

/** How long before its timeout a streaming invocation stops the model, to end its response cleanly. */
export const STOP_BEFORE_TIMEOUT_MS = 5_000;

/** The Lambda runtime's streaming helpers (a global in Node.js Lambda runtimes). */
interface LambdaStreaming {
  HttpResponseStream: {
    from(
      stream: any,
      metadata: { statusCode: number; headers: Record<string, string> },
    ): any;
  };
  streamifyResponse(
    handler: (
      event: any,
      responseStream: any,
      context: Context,
    ) => Promise<void>,
  ): unknown;
}

/**
 * The Lambda entry point of a streaming operation: on Lambda, a response-streaming handler (API
 * Gateway's `STREAM` response transfer mode); anywhere else, a buffered proxy handler with the same
 * status, headers and body, so tools and tests can call it like any other handler.
 */
export function streamingHandler(operation: StreamingOperation): unknown {
  const lambda = (globalThis as { awslambda?: Partial<LambdaStreaming> })
    .awslambda as LambdaStreaming | undefined;
  if (typeof lambda?.streamifyResponse === "function") {
    return lambda.streamifyResponse(async (event, responseStream, context) => {
      let stream: any;
      let ended = false;
      // The model call stops (and nothing is stored) when the response stream closes or fails
      // before the answer ends. Lambda's runtime does not report a client's disconnect today
      // (aws-lambda-nodejs-runtime-interface-client#145), so the answer is also cut short before
      // the invocation would time out, and is bounded by the deployment's maxTokens ceiling.
      const controller = new AbortController();
      const abort = () =>
        !ended && controller.abort(new Error("The response stream closed."));
      responseStream.on?.("close", abort);
      responseStream.on?.("error", abort);
      const remaining = context.getRemainingTimeInMillis?.();
      const deadline =
        remaining === undefined
          ? undefined
          : setTimeout(
              // The client is still there: it gets an error event saying so.
              () =>
                controller.abort(
                  new ServiceUnavailableError(
                    "The answer took too long; nothing was saved.",
                  ),
                ),
              Math.max(0, remaining - STOP_BEFORE_TIMEOUT_MS),
            );
      try {
        await operation(event, context, {
          signal: controller.signal,
          start: (statusCode, headers) => {
            stream = lambda.HttpResponseStream.from(responseStream, {
              statusCode,
              headers,
            });
          },
          write: (chunk) => stream.write(chunk),
          end: () => {
            ended = true;
            stream.end();
          },
        });
      } finally {
        clearTimeout(deadline);
      }
    });
  }
  return async (
    event: APIGatewayProxyEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult> => {
    let result: APIGatewayProxyResult = { statusCode: 500, body: "" };
    await operation(event, context, {
      start: (statusCode, headers) =>
        (result = { statusCode, headers, body: "" }),
      write: (chunk) => (result.body += chunk),
      end: () => undefined,
    });
    return result;
  };
}
