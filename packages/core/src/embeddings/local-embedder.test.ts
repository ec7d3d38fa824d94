import { describe, expect, it } from "vitest";
import { LocalEmbedder } from "./local-embedder";

const cosine = (a: number[], b: number[]) =>
  a.reduce((s, x, i) => s + x * b[i], 0);

describe("LocalEmbedder (offline hashing embedder)", () => {
  const embedder = new LocalEmbedder();

  it("is deterministic and unit-length", async () => {
    const [a] = await embedder.embed(["Taxes on imported goods"]);
    const [b] = await embedder.embed(["Taxes on imported goods"]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(384);
    expect(Math.hypot(...a)).toBeCloseTo(1, 4);
  });

  it("places texts that share words closer than texts that do not", async () => {
    const [q, near, far] = await embedder.embed([
      "tax on imports",
      "The taxes on imported goods were raised.",
      "Our navy sailed to the Pacific.",
    ]);
    expect(cosine(q, near)).toBeGreaterThan(cosine(q, far) + 0.2);
  });
});
