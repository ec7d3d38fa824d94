import { z } from "zod";

/** Placeholders each prompt template may use; anything else in `{{…}}` is rejected. */
export const PROMPT_PLACEHOLDERS = {
  classify: ["question"],
  condense: ["history", "question"],
  answer: ["question", "sources", "history"],
} as const;

const unitInterval = z.number().min(0).max(1);

/** Who can run a text step; `extractive` is the offline default. */
export const TEXT_PROVIDERS = [
  "extractive",
  "bedrock",
  "sagemaker",
  "openai-compatible",
] as const;

/** Who can compute embeddings; `local` is the offline default. */
export const EMBEDDING_PROVIDERS = [
  "local",
  "bedrock",
  "openai-compatible",
] as const;

const textModel = z
  .object({
    provider: z.enum(TEXT_PROVIDERS),
    modelId: z.string().min(1),
    endpoint: z.string().min(1).optional(),
    temperature: unitInterval,
    maxTokens: z.number().int().min(1).max(200_000),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (
      (m.provider === "sagemaker" || m.provider === "openai-compatible") &&
      !m.endpoint
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["endpoint"],
        message: `required for provider "${m.provider}"`,
      });
    }
  });

const embeddingModel = z
  .object({
    provider: z.enum(EMBEDDING_PROVIDERS),
    modelId: z.string().min(1),
    endpoint: z.string().min(1).optional(),
    dimensions: z.number().int().min(8).max(4096),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.provider === "openai-compatible" && !m.endpoint) {
      ctx.addIssue({
        code: "custom",
        path: ["endpoint"],
        message: `required for provider "${m.provider}"`,
      });
    }
  });

/** A prompt template whose `{{placeholders}}` must all be in `allowed`. */
function template(allowed: readonly string[]) {
  return z
    .string()
    .min(1)
    .max(20_000)
    .superRefine((text, ctx) => {
      for (const [, name] of text.matchAll(/\{\{\s*([^}\s]*)\s*\}\}/g)) {
        if (!allowed.includes(name)) {
          ctx.addIssue({
            code: "custom",
            message: `unknown placeholder {{${name}}}; allowed: ${allowed.map((a) => `{{${a}}}`).join(", ")}`,
          });
        }
      }
    });
}

/** The inference configuration: models, prompts, retrieval, history and guardrails. */
export const inferenceConfigSchema = z
  .object({
    models: z
      .object({
        classify: textModel,
        condense: textModel,
        answer: textModel,
        embeddings: embeddingModel,
      })
      .strict(),
    prompts: z
      .object({
        classify: template(PROMPT_PLACEHOLDERS.classify),
        condense: template(PROMPT_PLACEHOLDERS.condense),
        answer: template(PROMPT_PLACEHOLDERS.answer),
      })
      .strict(),
    retrieval: z
      .object({
        k: z.number().int().min(1).max(50),
        vectorWeight: unitInterval,
        textWeight: unitInterval,
        rrfK: z.number().int().min(1).max(1000),
        minScore: unitInterval,
        relatedWordWeight: unitInterval.optional(),
      })
      .strict()
      .refine((r) => r.vectorWeight + r.textWeight > 0, {
        message: "vectorWeight and textWeight cannot both be 0",
        path: ["textWeight"],
      }),
    historyTurns: z.number().int().min(0).max(50),
    guardrails: z
      .object({
        maxQuestionLength: z.number().int().min(1).max(20_000),
        requireSources: z.boolean(),
      })
      .strict(),
  })
  .strict();

/** A valid inference configuration. */
export type InferenceConfig = z.infer<typeof inferenceConfigSchema>;
