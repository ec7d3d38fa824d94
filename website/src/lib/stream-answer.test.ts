import { afterEach, describe, expect, it, vi } from "vitest";
import { streamAnswer } from "./stream-answer";

afterEach(() => vi.unstubAllGlobals());

/** A streamed response as the API sends it: NDJSON, in chunks that split lines anywhere. */
function ndjsonResponse(lines: unknown[]): Response {
  const text = lines.map((l) => `${JSON.stringify(l)}\n`).join("");
  const chunks = [text.slice(0, 7), text.slice(7, 40), text.slice(40)];
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
        controller.close();
      },
    }),
    { status: 200, headers: { "Content-Type": "application/x-ndjson" } },
  );
}

describe("streamAnswer (the website's NDJSON reader)", () => {
  it("passes on the tokens, then the error event of a model that failed mid-answer", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        ndjsonResponse([
          { type: "token", text: "The harbour " },
          {
            type: "error",
            code: "ServiceUnavailable",
            message: "The model is unavailable right now; nothing was saved.",
          },
        ]),
      ),
    );
    const events = [];
    for await (const e of streamAnswer({
      apiUrl: "https://chat.example.com/api",
      accessToken: "t",
      sessionId: "s",
      question: "q",
    }))
      events.push(e);
    expect(events).toEqual([
      { type: "token", text: "The harbour " },
      {
        type: "error",
        code: "ServiceUnavailable",
        message: "The model is unavailable right now; nothing was saved.",
      },
    ]);
  });
});
