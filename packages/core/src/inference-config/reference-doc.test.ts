import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { DEFAULT_INFERENCE_CONFIG } from "./defaults";

/** Every leaf path of a configuration, plus the optional `endpoint` of each model. */
function leafPaths(value: unknown, path = ""): string[] {
  if (typeof value !== "object" || value === null) return [path];
  const paths = Object.entries(value).flatMap(([k, v]) =>
    leafPaths(v, path ? `${path}.${k}` : k),
  );
  if (path.startsWith("models.")) paths.push(`${path}.endpoint`);
  return paths;
}

/** Fields the defaults leave out. */
const OPTIONAL_FIELDS = [
  "prompts.judge",
  "guardrails.redactBeforeModel",
  "guardrails.piiDetector",
  "guardrails.deniedTopicSimilarity",
  "guardrails.deniedTopics",
  "guardrails.bedrock.guardrailIdentifier",
  "guardrails.bedrock.guardrailVersion",
  "guardrails.bedrock.trace",
  "retrieval.rerank.provider",
  "retrieval.rerank.modelId",
  "retrieval.rerank.endpoint",
  "retrieval.rerank.candidates",
];

describe("docs/configuration.md", () => {
  it("documents every field of the inference configuration, optional ones included", () => {
    const doc = readFileSync(
      join(__dirname, "..", "..", "..", "..", "docs", "configuration.md"),
      "utf8",
    );
    const missing = [
      ...leafPaths(DEFAULT_INFERENCE_CONFIG),
      ...OPTIONAL_FIELDS,
    ].filter((p) => !doc.includes(`| \`${p}\` |`));
    expect(missing).toEqual([]);
  });
});
