import type { z } from "zod";
import { InvalidInputError } from "../errors";

/**
 * Checks untrusted input against a schema and returns it typed, or throws {@link InvalidInputError}
 * naming every bad field (`prefix.path`) with the reason: the API maps it to 400.
 */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  prefix = "",
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path:
      [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".") ||
      "(body)",
    message: issue.message,
  }));
  throw new InvalidInputError(
    `Invalid request: ${fields.map((f) => `${f.path} ${f.message}`).join("; ")}.`,
    fields,
  );
}
