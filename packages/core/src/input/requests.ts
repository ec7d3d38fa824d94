import { z } from "zod";

/**
 * The largest request body any operation accepts, in bytes: a configuration with three 20,000-
 * character prompts fits several times over. The local server refuses more with 413; on AWS the
 * web ACLs block a larger declared `Content-Length` (a power of ten, for their pattern).
 */
export const MAX_REQUEST_BODY_BYTES = 1_000_000;

/** Largest page any list operation returns. */
export const MAX_PAGE_SIZE = 100;

/** Printable text: no control characters other than newline and tab (NUL would also break Postgres). */
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), {
      message: "must not contain control characters",
    });

/** `?limit=&cursor=` of every list operation. */
export const pageRequest = z
  .object({
    limit: z.coerce
      .number({ invalid_type_error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
      .default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type PageRequest = z.output<typeof pageRequest>;

/** A session's title. */
export const sessionTitle = text(200).pipe(
  z.string().trim().min(1, "must not be empty"),
);

export const createSessionRequest = z
  .object({
    title: sessionTitle.optional(),
    /** The assistant the conversation is with; the Default assistant when omitted. */
    assistantId: z.string().max(100).optional(),
  })
  .strict();
export const updateSessionRequest = z.object({ title: sessionTitle }).strict();

/** The HTTP bound on a question; the inference configuration's guardrail may be tighter. */
export const MAX_QUESTION_LENGTH = 20_000;

export const askRequest = z
  .object({
    question: text(MAX_QUESTION_LENGTH).pipe(
      z.string().trim().min(1, "must not be empty"),
    ),
    /** Inference-configuration fields to use for this message only (administrators only). */
    overrides: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const feedbackRequest = z
  .object({
    rating: z.enum(["up", "down"]),
    comment: text(2000).optional(),
  })
  .strict();

export const searchRequest = z
  .object({
    query: text(2000).pipe(z.string().trim().min(1, "must not be empty")),
    k: z.number().int().min(1).max(50).optional(),
    /** Search as this assistant does (its configuration, its collections); Default's otherwise. */
    assistantId: z.string().uuid("must be an assistant id").optional(),
    /** Narrow the search to these collections (of those the caller reads). */
    collectionIds: z
      .array(z.string().uuid("must be a collection id"))
      .min(1, "must name at least one collection")
      .max(100, "at most 100 collections")
      .optional(),
  })
  .strict();

/** `PATCH /admin/documents/{id}`: the collection to move the document to. */
export const documentChangesRequest = z
  .object({ collectionId: z.string().max(100) })
  .strict();
