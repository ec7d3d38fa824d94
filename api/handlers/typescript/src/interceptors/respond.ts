import type { OperationResponse } from '@sextant/api-typescript-runtime';

/**
 * An error response from an interceptor. Interceptors are generic over every operation's response
 * type; the model declares 400/401/403/500 on the operations that can return them (a test checks),
 * so the generated marshaller knows each body.
 */
export function respond<R extends OperationResponse<number, any>>(statusCode: number, body: object): R {
  return { statusCode, body } as R;
}
