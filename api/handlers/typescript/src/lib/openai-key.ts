import type { OpenAIKey } from "@sextant/core/aws";
import { service } from "./services";

/**
 * The OpenAI-compatible key and its origin: on AWS read from Secrets Manager once per container
 * (its client loaded on first use), otherwise from the environment.
 */
export function openAiKey(): Promise<OpenAIKey | undefined> {
  return service("openAiKey", async () => {
    const { openAiKeyFromEnvironment } = await import("./aws/secrets-manager");
    return openAiKeyFromEnvironment();
  });
}
