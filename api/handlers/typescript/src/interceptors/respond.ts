import type { OperationResponse } from "@sextant/api-typescript-runtime";

/** The model's `ErrorCode` for each error status. */
export const ERROR_CODES: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "Unauthenticated",
  403: "NotAuthorized",
  404: "NotFound",
  412: "PreconditionFailed",
  413: "PayloadTooLarge",
  429: "TooManyRequests",
  503: "ServiceUnavailable",
  500: "InternalFailure",
};

/**
 * An error response from an interceptor, in the one error shape `{ code, message, fields? }`.
 * Interceptors are generic over every operation's response type; the model declares the statuses
 * each operation can return (a test checks), so the generated marshaller knows each body.
 */
export function respond<R extends OperationResponse<number, any>>(
  statusCode: number,
  body: {
    message: string;
    fields?: readonly { path: string; message: string }[];
  },
  headers?: Record<string, string>,
): R {
  return {
    statusCode,
    body: { code: ERROR_CODES[statusCode] ?? "InternalFailure", ...body },
    ...(headers ? { headers } : {}),
  } as unknown as R;
}
