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

/** The caller is known but lacks the group an action requires; the API layer maps it to 403. */
export class ForbiddenError extends Error {
  readonly name = "ForbiddenError";
}

/** No verified identity came with the request; the API layer maps it to 401. */
export class UnauthenticatedError extends Error {
  readonly name = "UnauthenticatedError";
}
