import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** Claims shaped as API Gateway's Cognito authorizer hands them over (every value a string). */
export const ADMIN_CLAIMS = {
  'sub': '11111111-aaaa',
  'username': 'ada',
  'email': 'ada@example.com',
  'cognito:groups': 'Administrators',
  'token_use': 'access',
};
export const USER_CLAIMS = { 'sub': '22222222-bbbb', 'username': 'grace', 'cognito:groups': '', 'token_use': 'access' };

/** A REST API Gateway proxy event for `method path`, optionally carrying authorizer claims. */
export function apiGatewayEvent(method: string, path: string, claims?: Record<string, string>): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: path,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { authorizer: claims ? { claims } : undefined } as any,
  };
}

export const lambdaContext = { functionName: 'test', awsRequestId: 'req-1' } as unknown as Context;
