import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors";
import { DEFAULT_INFERENCE_CONFIG } from "./defaults";
import { parseInferenceConfig, validateInferenceConfig } from "./validate";

const withChange = (change: (c: any) => void): unknown => {
  const copy = structuredClone(DEFAULT_INFERENCE_CONFIG) as any;
  change(copy);
  return copy;
};

describe("validateInferenceConfig", () => {
  it("accepts the built-in defaults", () => {
    expect(validateInferenceConfig(DEFAULT_INFERENCE_CONFIG)).toEqual({
      ok: true,
      config: DEFAULT_INFERENCE_CONFIG,
    });
  });

  it("names every invalid field with its dotted path and reason", () => {
    const result = validateInferenceConfig(
      withChange((c) => {
        c.retrieval.k = 0;
        c.models.answer.temperature = 3;
        c.historyTurns = "six";
      }),
    );
    expect(result.ok).toBe(false);
    const paths = !result.ok ? result.fields.map((f) => f.path).sort() : [];
    expect(paths).toEqual([
      "historyTurns",
      "models.answer.temperature",
      "retrieval.k",
    ]);
  });

  it("takes a configuration saved before relatedWordWeight existed, and rejects one out of 0 to 1", () => {
    const saved = withChange((c) => delete c.retrieval.relatedWordWeight);
    expect(validateInferenceConfig(saved)).toMatchObject({ ok: true });
    expect(
      validateInferenceConfig(
        withChange((c) => (c.retrieval.relatedWordWeight = 1.5)),
      ),
    ).toMatchObject({
      ok: false,
      fields: [{ path: "retrieval.relatedWordWeight" }],
    });
  });

  it("takes an optional reranker, and names what is wrong with one", () => {
    const reranking = (rerank: object) =>
      validateInferenceConfig(
        withChange((c) => {
          c.retrieval.k = 5;
          c.retrieval.rerank = rerank;
        }),
      );
    expect(
      reranking({ provider: "local", modelId: "proximity", candidates: 10 }),
    ).toMatchObject({ ok: true });
    expect(
      reranking({
        provider: "bedrock",
        modelId: "amazon.rerank-v1:0",
        candidates: 50,
      }),
    ).toMatchObject({ ok: true });
    const fields = (rerank: object) => {
      const r = reranking(rerank);
      return r.ok ? [] : r.fields.map((f) => `${f.path}: ${f.message}`);
    };
    expect(
      fields({ provider: "local", modelId: "proximity", candidates: 3 }),
    ).toEqual([
      "retrieval.rerank.candidates: must be at least retrieval.k (the passages the reranker keeps)",
    ]);
    expect(
      fields({ provider: "cohere-compatible", modelId: "m", candidates: 10 }),
    ).toEqual([
      'retrieval.rerank.endpoint: required for provider "cohere-compatible"',
    ]);
    expect(
      fields({ provider: "local", modelId: "bge", candidates: 10 })[0],
    ).toMatch(
      /^retrieval.rerank.modelId: the local reranker's model is "proximity"/,
    );
    expect(
      fields({ provider: "local", modelId: "proximity", candidates: 101 })[0],
    ).toMatch(/^retrieval.rerank.candidates:/);
  });

  it("rejects unknown placeholders in prompt templates and lists the allowed ones", () => {
    const result = validateInferenceConfig(
      withChange((c) => (c.prompts.answer = "Use {{sources}} for {{secret}}")),
    );
    expect(result).toMatchObject({
      ok: false,
      fields: [{ path: "prompts.answer" }],
    });
    const message = !result.ok ? result.fields[0].message : "";
    expect(message).toContain("{{secret}}");
    expect(message).toContain("{{question}}");
  });

  it("rejects unknown keys rather than silently dropping them", () => {
    const result = validateInferenceConfig(
      withChange((c) => (c.retrieval.topK = 3)),
    );
    expect(result).toMatchObject({
      ok: false,
      fields: [{ path: "retrieval" }],
    });
  });

  it("requires an endpoint for SageMaker and OpenAI-compatible models", () => {
    const result = validateInferenceConfig(
      withChange(
        (c) =>
          (c.models.answer = {
            ...c.models.answer,
            provider: "sagemaker",
            modelId: "m",
          }),
      ),
    );
    expect(result).toMatchObject({
      ok: false,
      fields: [{ path: "models.answer.endpoint" }],
    });
  });

  it("rejects retrieval with both fusion weights at zero", () => {
    const result = validateInferenceConfig(
      withChange((c) => {
        c.retrieval.vectorWeight = 0;
        c.retrieval.textWeight = 0;
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      fields: [{ path: "retrieval.textWeight" }],
    });
  });
});

describe("parseInferenceConfig", () => {
  it("throws InvalidInputError carrying the field errors", () => {
    try {
      parseInferenceConfig({});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).fields.map((f) => f.path)).toContain(
        "models",
      );
    }
  });
});
