import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** Where a streaming operation writes its response: status and headers first, then the body in pieces. */
export interface ResponseSink {
  /** Aborted when the client goes away (locally); never on Lambda, where the invocation runs to its end. */
  readonly signal?: AbortSignal;
  start(statusCode: number, headers: Record<string, string>): void;
  write(chunk: string): void;
  end(): void;
}

/** An operation that streams its response. */
export type StreamingOperation = (event: APIGatewayProxyEvent, context: Context, sink: ResponseSink) => Promise<void>;

/** The Lambda runtime's streaming helpers (a global in Node.js Lambda runtimes). */
interface LambdaStreaming {
  HttpResponseStream: { from(stream: any, metadata: { statusCode: number; headers: Record<string, string> }): any };
  streamifyResponse(handler: (event: any, responseStream: any, context: Context) => Promise<void>): unknown;
}

/**
 * The Lambda entry point of a streaming operation: on Lambda, a response-streaming handler (API
 * Gateway's `STREAM` response transfer mode); anywhere else, a buffered proxy handler with the same
 * status, headers and body, so tools and tests can call it like any other handler.
 */
export function streamingHandler(operation: StreamingOperation): unknown {
  const lambda = (globalThis as { awslambda?: Partial<LambdaStreaming> }).awslambda as LambdaStreaming | undefined;
  if (typeof lambda?.streamifyResponse === 'function') {
    return lambda.streamifyResponse(async (event, responseStream, context) => {
      let stream: any;
      await operation(event, context, {
        start: (statusCode, headers) => {
          stream = lambda.HttpResponseStream.from(responseStream, { statusCode, headers });
        },
        write: (chunk) => stream.write(chunk),
        end: () => stream.end(),
      });
    });
  }
  return async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    let result: APIGatewayProxyResult = { statusCode: 500, body: '' };
    await operation(event, context, {
      start: (statusCode, headers) => (result = { statusCode, headers, body: '' }),
      write: (chunk) => (result.body += chunk),
      end: () => undefined,
    });
    return result;
  };
}
