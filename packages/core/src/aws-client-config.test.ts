import { once } from "node:events";
import { createServer, type Server } from "node:http";
import {
  createServer as createHttp2Server,
  type Http2Server,
} from "node:http2";
import type { AddressInfo } from "node:net";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import {
  MODEL_CLIENT_LIMITS,
  SERVICE_CLIENT_LIMITS,
} from "./aws-client-config";
import { ModelUnavailableError } from "./errors";
import { BedrockConverseModel } from "./providers/bedrock";
import { CognitoUserDirectory } from "./users/cognito-user-directory";

/**
 * The AWS SDK as it really behaves, against a loopback HTTP endpoint standing in for the service
 * (`AWS_ENDPOINT_URL`): the SDK's own retry and timeout middleware runs, so attempts are counted
 * as the service would see them. Bedrock's runtime client speaks HTTP/2 (cleartext here); the
 * others HTTP/1.1.
 */
let server: Server;
let http2: Http2Server;
let requests = 0;
let behaviour: "throttle" | "hang" | "fail" = "throttle";
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    if (behaviour === "hang") return; // never answers
    const [status, type] =
      behaviour === "throttle"
        ? [429, "ThrottlingException"]
        : [500, "InternalErrorException"];
    res.writeHead(status, {
      "Content-Type": "application/x-amz-json-1.1",
      "x-amzn-ErrorType": type,
    });
    res.end(JSON.stringify({ __type: type, message: "stand-in" }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  http2 = createHttp2Server((req, res) => {
    requests++;
    req.resume();
    if (behaviour === "hang") return;
    res.writeHead(429, {
      "content-type": "application/json",
      "x-amzn-errortype": "ThrottlingException",
    });
    res.end(JSON.stringify({ message: "stand-in" }));
  });
  http2.listen(0, "127.0.0.1");
  await once(http2, "listening");
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vi.stubEnv("AWS_ENDPOINT_URL", endpoint);
  vi.stubEnv(
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    `http://127.0.0.1:${(http2.address() as AddressInfo).port}`,
  );
  vi.stubEnv("AWS_REGION", "eu-west-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSTANDIN");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "stand-in");
});
afterAll(() => {
  vi.unstubAllEnvs();
  server.close();
  http2.close();
});
afterEach(() => {
  requests = 0;
});

describe("every AWS client's attempts and timeouts, with the SDK's middleware running (loopback endpoint)", () => {
  it("a throttled model is called exactly three times in all: withRetries' attempts, none of the SDK's on top", async () => {
    behaviour = "throttle";
    const model = new BedrockConverseModel(
      "anthropic.claude-3-haiku-20240307-v1:0",
    );
    const error = await (async () => {
      for await (const _ of model.generate(
        { system: "s", user: "u" },
        { maxTokens: 5, temperature: 0 },
      ));
    })().catch((e) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(requests).toBe(3);
  }, 60_000);

  it("another service's call is attempted maxAttempts times (3), as set, not the SDK's default", async () => {
    behaviour = "fail";
    const directory = new CognitoUserDirectory("eu-west-1_pool");
    await expect(directory.list()).rejects.toBeTruthy();
    expect(requests).toBe(SERVICE_CLIENT_LIMITS.maxAttempts);
  }, 60_000);

  it("a request that gets no answer ends at the request timeout (the requestHandler setting is honoured)", async () => {
    behaviour = "hang";
    const client = new BedrockRuntimeClient({
      ...MODEL_CLIENT_LIMITS,
      requestHandler: {
        ...MODEL_CLIENT_LIMITS.requestHandler,
        requestTimeout: 300,
      },
    });
    const model = new BedrockConverseModel("m", client);
    const started = performance.now();
    const error = await (async () => {
      for await (const _ of model.generate(
        { system: "s", user: "u" },
        { maxTokens: 5, temperature: 0 },
      ));
    })().catch((e) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(ModelUnavailableError);
    // Three attempts of 300 ms and the backoff between them: seconds, not forever.
    expect(elapsed).toBeLessThan(20_000);
    expect(requests).toBe(3);
  }, 60_000);

  it("sets limits on every client: one model attempt (withRetries retries), three otherwise, and timeouts", () => {
    expect(MODEL_CLIENT_LIMITS.maxAttempts).toBe(1);
    expect(SERVICE_CLIENT_LIMITS.maxAttempts).toBe(3);
    for (const limits of [MODEL_CLIENT_LIMITS, SERVICE_CLIENT_LIMITS]) {
      expect(limits.requestHandler.connectionTimeout).toBeGreaterThan(0);
      expect(limits.requestHandler.requestTimeout).toBeGreaterThan(0);
    }
  });
});
