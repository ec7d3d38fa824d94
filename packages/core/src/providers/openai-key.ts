import {
  GetSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { SERVICE_CLIENT_LIMITS } from "../aws-client-config";
import { ServiceUnavailableError } from "../errors";

/** The API key of an OpenAI-compatible server, and the one origin it may be sent to. */
export interface OpenAIKey {
  readonly openAiApiKey?: string;
  readonly openAiApiKeyOrigin?: string;
}

/**
 * The OpenAI-compatible key: on AWS from a Secrets Manager secret (`SEXTANT_OPENAI_API_KEY_SECRET_ARN`,
 * a JSON `{ "origin": "https://…", "apiKey": "…" }`, so the key never sits in a template or an
 * environment variable), otherwise from `SEXTANT_OPENAI_API_KEY` and `SEXTANT_OPENAI_API_KEY_ORIGIN`.
 */
export async function openAiKeyFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  client: Pick<SecretsManagerClient, "send"> = new SecretsManagerClient({
    ...SERVICE_CLIENT_LIMITS,
  }),
): Promise<OpenAIKey> {
  const arn = env.SEXTANT_OPENAI_API_KEY_SECRET_ARN;
  if (!arn)
    return {
      openAiApiKey: env.SEXTANT_OPENAI_API_KEY,
      openAiApiKeyOrigin: env.SEXTANT_OPENAI_API_KEY_ORIGIN,
    };
  const { SecretString } = await client.send(
    new GetSecretValueCommand({ SecretId: arn }),
  );
  let secret: { origin?: unknown; apiKey?: unknown };
  try {
    secret = JSON.parse(SecretString ?? "");
  } catch {
    secret = {};
  }
  if (typeof secret.origin !== "string" || typeof secret.apiKey !== "string")
    throw new ServiceUnavailableError(
      'The OpenAI-compatible key secret must be JSON {"origin": "https://…", "apiKey": "…"}.',
    );
  return { openAiApiKey: secret.apiKey, openAiApiKeyOrigin: secret.origin };
}
