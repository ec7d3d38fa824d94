/** One invalid field: a dotted path (`retrieval.k`) and why. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** Input that cannot be accepted; the API layer maps it to 400 with the fields. */
export class InvalidInputError extends Error {
  readonly name = "InvalidInputError";
  constructor(
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

/**
 * A guardrail stopped the question or the answer: 400 with the guardrail's own message (or, in a
 * stream, an `error` event); nothing of the answer is stored.
 */
export class GuardrailInterventionError extends InvalidInputError {
  constructor(
    message: string,
    /** What was stopped: the question (`input`) or the answer (`output`). */
    readonly on: "input" | "output",
    /** Which guardrail: its identifier, or a denied topic's name. */
    readonly guardrail: string,
    /** With the guardrail's trace on: the policies that acted (`topic Finance: BLOCKED`), never what they matched. */
    readonly policies: readonly string[] = [],
  ) {
    super(message, [
      {
        path: on === "input" ? "question" : "answer",
        message: "stopped by a guardrail",
      },
    ]);
  }
}

/** The caller is known but lacks the group an action requires; the API layer maps it to 403. */
export class ForbiddenError extends Error {
  readonly name = "ForbiddenError";
}

/** No verified identity came with the request; the API layer maps it to 401. */
export class UnauthenticatedError extends Error {
  readonly name = "UnauthenticatedError";
}

/** The resource does not exist, or belongs to someone else (the same answer, so ids leak nothing); 404. */
export class NotFoundError extends Error {
  readonly name = "NotFoundError";
}

/** The caller's `If-Match` names a version that is no longer current; nothing was written; 412. */
export class PreconditionFailedError extends Error {
  readonly name = "PreconditionFailedError";
}

/** The request is larger than Sextant accepts; 413. */
export class PayloadTooLargeError extends Error {
  readonly name = "PayloadTooLargeError";
}

/** Which usage limit a request hit. */
export type QuotaLimit =
  "messagesPerDay" | "tokensPerDay" | "requestsPerMinute" | "monthlyBudgetUsd";

/**
 * A usage limit is reached: which one, and when it resets; 429 with `Retry-After`. Nothing was
 * stored and no model was called.
 */
export class QuotaExceededError extends Error {
  readonly name = "QuotaExceededError";
  constructor(
    message: string,
    readonly limit: QuotaLimit,
    /** When the limit resets (the next UTC day, minute or month). */
    readonly resetsAt: Date,
  ) {
    super(message);
  }

  /** Whole seconds until the reset, at least 1. */
  retryAfterSeconds(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.resetsAt.getTime() - now) / 1000));
  }
}

/** A dependency (the database, a model provider) is unavailable for now; 503, try again later. */
export class ServiceUnavailableError extends Error {
  readonly name = "ServiceUnavailableError";
  constructor(
    message: string,
    /** Seconds after which a retry may succeed. */
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}

/**
 * A model provider failed or timed out after its retries; the chain reports it on that message
 * only (503). Its name is also the error Step Functions retries the ingestion's embed step on.
 */
export class ModelUnavailableError extends Error {
  readonly name = "ModelUnavailableError";
}
