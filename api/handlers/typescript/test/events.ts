import { openDatabase, type OpenDatabase } from "@sextant/core/embedded";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { afterAll, beforeAll } from "vitest";
import { provideServices } from "../src/lib/services";

/** Claims shaped as API Gateway's Cognito authorizer hands them over (every value a string). */
export const ADMIN_CLAIMS = {
  sub: "11111111-aaaa",
  username: "ada",
  email: "ada@example.com",
  "cognito:groups": "Administrators",
  token_use: "access",
};
export const USER_CLAIMS = {
  sub: "22222222-bbbb",
  username: "grace",
  "cognito:groups": "",
  token_use: "access",
};

/**
 * A REST API Gateway proxy event for `method resource` (path parameters such as `{sessionId}` are
 * filled in), optionally carrying authorizer claims and a body.
 */
export function apiGatewayEvent(
  method: string,
  resource: string,
  claims?: Record<string, string>,
  options: {
    body?: unknown;
    headers?: Record<string, string>;
    pathParameters?: Record<string, string>;
  } = {},
): APIGatewayProxyEvent {
  const pathParameters = {
    ...Object.fromEntries(
      [...resource.matchAll(/\{(\w+)\}/g)].map(([, name]) => [
        name,
        "00000000-0000-0000-0000-000000000000",
      ]),
    ),
    ...options.pathParameters,
  };
  const path = resource.replace(
    /\{(\w+)\}/g,
    (_m, name: string) => pathParameters[name],
  );
  return {
    httpMethod: method,
    path,
    resource,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: { authorizer: claims ? { claims } : undefined } as any,
  };
}

export const lambdaContext = {
  functionName: "test",
  awsRequestId: "req-1",
} as unknown as Context;

/**
 * Hands the handlers an embedded Postgres, migrated (the authorize interceptor reads the caller's
 * current access from it); users and uploads refuse, for tests whose handlers do not use them.
 */
async function provideEmbeddedStore(): Promise<OpenDatabase> {
  const store = await openDatabase(undefined, "");
  const unused = () => Promise.reject(new Error("not used by these handlers"));
  provideServices({
    db: store.db,
    users: { list: unused, invite: unused, update: unused, groupsOf: unused },
    uploads: {
      createUploadUrl: unused,
      removeUpload: unused,
      createDownloadUrl: unused,
    },
  });
  return store;
}

/** For the tests of this file: the handlers' services on a fresh embedded store, closed after them. */
export function useEmbeddedStore(): void {
  let store: OpenDatabase | undefined;
  beforeAll(async () => {
    store = await provideEmbeddedStore();
  });
  afterAll(() => store?.close());
}
