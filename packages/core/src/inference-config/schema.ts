import { z } from "zod";

/** Placeholders each prompt template may use; anything else in `{{…}}` is rejected. */
export const PROMPT_PLACEHOLDERS = {
  classify: ["question"],
  condense: ["history", "question"],
  answer: ["question", "sources", "history"],
  judge: ["question", "answer", "sources", "facts"],
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

/** Who can rerank retrieved passages; `local` is offline (word proximity, no model). */
export const RERANK_PROVIDERS = [
  "local",
  "bedrock",
  "cohere-compatible",
] as const;

/** The offline reranker's one model. */
export const LOCAL_RERANK_MODEL = "proximity";

/**
 * An optional step between retrieval and the answer: the first `candidates` passages of the
 * hybrid search are reordered by a reranker, and the best `retrieval.k` of them go on.
 */
const rerankModel = z
  .object({
    provider: z.enum(RERANK_PROVIDERS),
    /** Bedrock: `amazon.rerank-v1:0`, `cohere.rerank-v3-5:0`; a server's model name; `proximity` (local). */
    modelId: z.string().min(1),
    /** The server's base URL (`/rerank` is added), for `cohere-compatible`. */
    endpoint: z.string().min(1).optional(),
    candidates: z.number().int().min(1).max(100),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.provider === "cohere-compatible" && !m.endpoint)
      ctx.addIssue({
        code: "custom",
        path: ["endpoint"],
        message: `required for provider "${m.provider}"`,
      });
    if (m.provider === "local" && m.modelId !== LOCAL_RERANK_MODEL)
      ctx.addIssue({
        code: "custom",
        path: ["modelId"],
        message: `the local reranker's model is "${LOCAL_RERANK_MODEL}"`,
      });
  });

/**
 * A topic the assistant declines: a question close to one of its examples gets `message` as its
 * answer, with no sources, and the intervention is recorded (never the question).
 */
const deniedTopic = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(500).optional(),
    examples: z.array(z.string().trim().min(1).max(500)).min(1).max(20),
    message: z.string().trim().min(1).max(1000),
  })
  .strict();

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
        /** How the answer model judges an evaluation's answers; absent, the built-in one. */
        judge: template(PROMPT_PLACEHOLDERS.judge).optional(),
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
        rerank: rerankModel.optional(),
      })
      .strict()
      .refine((r) => r.vectorWeight + r.textWeight > 0, {
        message: "vectorWeight and textWeight cannot both be 0",
        path: ["textWeight"],
      })
      .refine((r) => !r.rerank || r.rerank.candidates >= r.k, {
        message:
          "must be at least retrieval.k (the passages the reranker keeps)",
        path: ["rerank", "candidates"],
      }),
    historyTurns: z.number().int().min(0).max(50),
    guardrails: z
      .object({
        maxQuestionLength: z.number().int().min(1).max(20_000),
        requireSources: z.boolean(),
        /** Personal data replaced by typed placeholders in what is stored and logged. */
        redactPii: z.boolean().optional(),
        /** The question redacted before the models see it too. */
        redactBeforeModel: z.boolean().optional(),
        /** Who finds personal data: the offline patterns, or Amazon Comprehend and then them. @default local */
        piiDetector: z.enum(["local", "comprehend"]).optional(),
        /** A Bedrock guardrail applied to every question and answer (ApplyGuardrail for other providers). */
        bedrock: z
          .object({
            guardrailIdentifier: z
              .string()
              .regex(
                /^([a-z0-9]+|arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+)$/,
                "must be a guardrail id or ARN",
              ),
            guardrailVersion: z
              .string()
              .regex(
                /^([1-9][0-9]{0,7}|DRAFT)$/,
                "must be a version number or DRAFT",
              ),
            trace: z.boolean(),
          })
          .strict()
          .optional(),
        /** How close a question must come to a denied topic's example, 0 to 1. @default 0.6 */
        deniedTopicSimilarity: unitInterval.optional(),
        deniedTopics: z
          .array(deniedTopic)
          .max(20)
          .superRefine((topics, ctx) => {
            topics.forEach((t, i) => {
              if (topics.findIndex((o) => o.name === t.name) !== i)
                ctx.addIssue({
                  code: "custom",
                  path: [i, "name"],
                  message: `another topic is named '${t.name}'`,
                });
            });
          })
          .optional(),
      })
      .strict(),
  })
  .strict();

/** A valid inference configuration. */
export type InferenceConfig = z.infer<typeof inferenceConfigSchema>;
