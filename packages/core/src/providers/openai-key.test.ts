import {
  GetSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { openAiKeyFromEnvironment } from "./openai-key";
import { ServiceUnavailableError } from "../errors";

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());
const ARN =
  "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sextant/openai-AbCdEf";

describe("openAiKeyFromEnvironment", () => {
  it("reads the key and its origin from the Secrets Manager secret named by the environment (recorded SDK response)", async () => {
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({
      ARN,
      Name: "sextant/openai",
      SecretString: JSON.stringify({
        origin: "https://llm.example.com",
        apiKey: "sk-secret",
      }),
      VersionId: "v1",
    });
    expect(
      await openAiKeyFromEnvironment(
        { SEXTANT_OPENAI_API_KEY_SECRET_ARN: ARN },
        new SecretsManagerClient({}),
      ),
    ).toEqual({
      openAiApiKey: "sk-secret",
      openAiApiKeyOrigin: "https://llm.example.com",
    });
  });

  it("refuses a secret that is not {origin, apiKey} JSON, without echoing it", async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: "sk-plain-key" });
    const error = await openAiKeyFromEnvironment(
      { SEXTANT_OPENAI_API_KEY_SECRET_ARN: ARN },
      new SecretsManagerClient({}),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).not.toContain("sk-plain-key");
  });

  it("takes the key and origin from the environment when no secret is named (locally)", async () => {
    expect(
      await openAiKeyFromEnvironment({
        SEXTANT_OPENAI_API_KEY: "sk-local",
        SEXTANT_OPENAI_API_KEY_ORIGIN: "http://127.0.0.1:11434",
      }),
    ).toEqual({
      openAiApiKey: "sk-local",
      openAiApiKeyOrigin: "http://127.0.0.1:11434",
    });
    expect(secrets.calls()).toHaveLength(0);
  });
});
