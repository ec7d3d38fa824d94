import { describe, expect, it } from "vitest";
import { readNdjson } from "./ndjson";

const streamOf = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });

async function collect(chunks: Uint8Array[]) {
  const out: unknown[] = [];
  for await (const v of readNdjson(streamOf(chunks))) out.push(v);
  return out;
}

describe("readNdjson", () => {
  it("yields one value per line whatever the chunk boundaries, including a split multi-byte character", async () => {
    const bytes = new TextEncoder().encode(
      '{"text":"né"}\n\n{"n":2}\n{"last":true}',
    );
    const cuts = [1, 9, 10, 15, bytes.length - 2]; // 9..10 splits the two bytes of "é"
    const chunks = [0, ...cuts].map((start, i) =>
      bytes.slice(start, [...cuts, bytes.length][i]),
    );
    expect(await collect(chunks)).toEqual([
      { text: "né" },
      { n: 2 },
      { last: true },
    ]);
  });

  it("rejects a line that is not JSON", async () => {
    await expect(
      collect([new TextEncoder().encode("{oops}\n")]),
    ).rejects.toThrow(SyntaxError);
  });
});
