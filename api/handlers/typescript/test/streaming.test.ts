import { PassThrough } from "node:stream";
import { ServiceUnavailableError } from "@sextant/core";
import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import {
  STOP_BEFORE_TIMEOUT_MS,
  streamingHandler,
  type ResponseSink,
} from "../src/lib/streaming";

/** A stand-in for the Lambda runtime's `awslambda` global (only Lambda has the real one). */
function withLambdaRuntimeStandIn() {
  const metadata: { statusCode: number; headers: Record<string, string> }[] =
    [];
  (globalThis as any).awslambda = {
    streamifyResponse: (handler: unknown) => handler,
    HttpResponseStream: {
      from: (stream: PassThrough, meta: (typeof metadata)[number]) => {
        metadata.push(meta);
        return stream;
      },
    },
  };
  return metadata;
}
afterEach(() => {
  delete (globalThis as any).awslambda;
});

/** An operation that streams a token every 10 ms until it is told to stop. */
function tokensUntilAborted(seen: {
  aborted?: boolean;
  reason?: unknown;
  written: number;
}) {
  return async (_event: unknown, _context: Context, sink: ResponseSink) => {
    sink.start(200, { "Content-Type": "application/x-ndjson" });
    while (!sink.signal?.aborted && seen.written < 200) {
      sink.write('{"type":"token","text":"x"}\n');
      seen.written++;
      await new Promise((r) => setTimeout(r, 10));
    }
    seen.aborted = sink.signal?.aborted;
    seen.reason = sink.signal?.reason;
    sink.end();
  };
}

const context = (remainingMs: number) =>
  ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

describe("streamingHandler on Lambda (awslambda.streamifyResponse, with a stand-in for the runtime global)", () => {
  it("streams status, headers and body through HttpResponseStream", async () => {
    const metadata = withLambdaRuntimeStandIn();
    const handler = streamingHandler(async (_e, _c, sink) => {
      sink.start(201, { "X-Test": "1" });
      sink.write("a");
      sink.write("b");
      sink.end();
    }) as (
      event: unknown,
      stream: PassThrough,
      context: Context,
    ) => Promise<void>;
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (c) => chunks.push(String(c)));
    await handler({}, stream, context(60_000));
    expect(metadata).toEqual([{ statusCode: 201, headers: { "X-Test": "1" } }]);
    expect(chunks.join("")).toBe("ab");
  });

  it("stops the operation (and so the model call) when the response stream closes mid-answer", async () => {
    withLambdaRuntimeStandIn();
    const seen = { written: 0 } as {
      aborted?: boolean;
      reason?: unknown;
      written: number;
    };
    const handler = streamingHandler(tokensUntilAborted(seen)) as any;
    const stream = new PassThrough();
    stream.resume();
    const done = handler({}, stream, context(60_000));
    await new Promise((r) => setTimeout(r, 50));
    stream.destroy();
    await done;
    expect(seen.aborted).toBe(true);
    expect(seen.written).toBeLessThan(20);
  });

  it("stops the operation shortly before the invocation would time out", async () => {
    withLambdaRuntimeStandIn();
    const seen = { written: 0 } as {
      aborted?: boolean;
      reason?: unknown;
      written: number;
    };
    const handler = streamingHandler(tokensUntilAborted(seen)) as any;
    const stream = new PassThrough();
    stream.resume();
    await handler({}, stream, context(STOP_BEFORE_TIMEOUT_MS + 60));
    expect(seen.aborted).toBe(true);
    // The client is still there: the reason becomes its error event (503's code).
    expect(seen.reason).toBeInstanceOf(ServiceUnavailableError);
    expect(seen.written).toBeLessThan(20);
  });

  it("does not abort an answer that ended normally when the stream then closes", async () => {
    withLambdaRuntimeStandIn();
    let signal: AbortSignal | undefined;
    const handler = streamingHandler(async (_e, _c, sink) => {
      signal = sink.signal;
      sink.start(200, {});
      sink.end();
    }) as any;
    const stream = new PassThrough();
    stream.resume();
    await handler({}, stream, context(60_000));
    stream.destroy();
    await new Promise((r) => setTimeout(r, 10));
    expect(signal?.aborted).toBe(false);
  });
});
