import { InvalidInputError, type FieldError } from "../errors";
import { inferenceConfigSchema, type InferenceConfig } from "./schema";

/** Checks a candidate configuration and returns it typed, or every invalid field with its reason. */
export function validateInferenceConfig(
  candidate: unknown,
): { ok: true; config: InferenceConfig } | { ok: false; fields: FieldError[] } {
  const result = inferenceConfigSchema.safeParse(candidate);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    fields: result.error.issues.map((issue) => ({
      path: issue.path.join(".") || "(root)",
      message: issue.message,
    })),
  };
}

/** Like {@link validateInferenceConfig}, but throws {@link InvalidInputError} naming each bad field. */
export function parseInferenceConfig(candidate: unknown): InferenceConfig {
  const result = validateInferenceConfig(candidate);
  if (!result.ok)
    throw new InvalidInputError(
      "The inference configuration is invalid.",
      result.fields,
    );
  return result.config;
}
