import {
  InvokeEndpointCommand,
  SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { MODEL_CLIENT_LIMITS } from "../aws-client-config";
import { withRetries } from "./retry";
import { promptText, type Prompt } from "../chain/fenced-prompt";
import type { GenerateOptions, LanguageModel } from "../chain/language-model";

/**
 * A text model on a SageMaker endpoint speaking the Hugging Face TGI format
 * (`{ inputs, parameters }` → `[{ generated_text }]`). The answer arrives whole: one token.
 */
export class SageMakerModel implements LanguageModel {
  constructor(
    readonly modelId: string,
    private readonly endpointName: string,
    private readonly client: SageMakerRuntimeClient = new SageMakerRuntimeClient(
      { ...MODEL_CLIENT_LIMITS },
    ),
  ) {}

  async *generate(
    prompt: Prompt,
    options: GenerateOptions,
  ): AsyncIterable<string> {
    const response = await withRetries(
      `SageMaker endpoint ${this.endpointName}`,
      () =>
        this.client.send(
          new InvokeEndpointCommand({
            EndpointName: this.endpointName,
            ContentType: "application/json",
            Accept: "application/json",
            Body: JSON.stringify({
              // TGI's raw endpoint has no roles: instructions first, then the fenced data.
              inputs: promptText(prompt),
              parameters: {
                max_new_tokens: options.maxTokens,
                temperature: Math.max(options.temperature, 0.01),
                return_full_text: false,
              },
            }),
          }),
          { abortSignal: options.signal },
        ),
    );
    const body = JSON.parse(new TextDecoder().decode(response.Body)) as
      { generated_text: string }[] | { generated_text: string };
    const text = Array.isArray(body)
      ? body[0]?.generated_text
      : body.generated_text;
    if (text) yield text;
  }
}
