import {
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { MODEL_CLIENT_LIMITS } from "../aws-client-config";
import { midStream, withRetries } from "./retry";
import type { Prompt } from "../chain/fenced-prompt";
import type {
  BedrockGuardrail,
  GenerateOptions,
  LanguageModel,
} from "../chain/language-model";
import type { Embedder } from "../embeddings/embedder";
import { GuardrailInterventionError } from "../errors";

/** A text model on Amazon Bedrock through the Converse API, streamed. */
export class BedrockConverseModel implements LanguageModel {
  constructor(
    readonly modelId: string,
    private readonly client: BedrockRuntimeClient = new BedrockRuntimeClient({
      ...MODEL_CLIENT_LIMITS,
    }),
  ) {}

  async *generate(
    prompt: Prompt,
    options: GenerateOptions,
  ): AsyncIterable<string> {
    const response = await withRetries(`Bedrock model ${this.modelId}`, () =>
      this.client.send(
        new ConverseStreamCommand({
          modelId: this.modelId,
          // Instructions in the system role; data only in the user message.
          // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
          system: [{ text: prompt.system }],
          messages: [{ role: "user", content: [{ text: prompt.user }] }],
          inferenceConfig: {
            maxTokens: options.maxTokens,
            temperature: options.temperature,
          },
          // Synchronous: every chunk is checked before it is sent, so nothing unchecked streams.
          // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-streaming.html
          ...(options.guardrail
            ? {
                guardrailConfig: {
                  guardrailIdentifier: options.guardrail.guardrailIdentifier,
                  guardrailVersion: options.guardrail.guardrailVersion,
                  trace: options.guardrail.trace ? "enabled" : "disabled",
                  streamProcessingMode: "sync",
                },
              }
            : {}),
        }),
        { abortSignal: options.signal },
      ),
    );
    let streamed = "";
    let intervened = false;
    let trace: unknown;
    for await (const event of midStream(
      `Bedrock model ${this.modelId}`,
      response.stream ?? [],
      options.signal,
    )) {
      const text = event.contentBlockDelta?.delta?.text;
      if (text) {
        streamed += text;
        yield text;
      }
      // The guardrail stopped the question or the answer: what streamed is its message, and the
      // metadata after the stop carries its trace.
      if (event.messageStop?.stopReason === "guardrail_intervened")
        intervened = true;
      if (event.metadata?.trace?.guardrail)
        trace = event.metadata.trace.guardrail;
      const usage = event.metadata?.usage;
      if (usage && options.usage) {
        options.usage.inputTokens = usage.inputTokens ?? 0;
        options.usage.outputTokens = usage.outputTokens ?? 0;
      }
    }
    if (intervened)
      throw new GuardrailInterventionError(
        streamed || "The guardrail stopped this answer.",
        "output",
        options.guardrail?.guardrailIdentifier ?? "bedrock",
        options.guardrail?.trace ? guardrailPolicies(trace) : [],
      );
  }
}

/** Embeddings on Amazon Bedrock: Titan Text Embeddings v2 (one text per call) or Cohere Embed (batches of up to 96). */
export class BedrockEmbedder implements Embedder {
  constructor(
    readonly modelId: string,
    readonly dimensions: number,
    private readonly client: BedrockRuntimeClient = new BedrockRuntimeClient({
      ...MODEL_CLIENT_LIMITS,
    }),
  ) {}

  private async invoke(body: object): Promise<unknown> {
    const response = await withRetries(
      `Bedrock embedding model ${this.modelId}`,
      () =>
        this.client.send(
          new InvokeModelCommand({
            modelId: this.modelId,
            contentType: "application/json",
            accept: "application/json",
            body: JSON.stringify(body),
          }),
        ),
    );
    return JSON.parse(new TextDecoder().decode(response.body));
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.modelId.startsWith("cohere.")) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += 96) {
        const body = (await this.invoke({
          texts: texts.slice(i, i + 96),
          input_type: "search_document",
          truncate: "END",
        })) as { embeddings: number[][] };
        out.push(...body.embeddings);
      }
      return out;
    }
    return Promise.all(
      texts.map(
        async (inputText) =>
          (
            (await this.invoke({
              inputText,
              dimensions: this.dimensions,
              normalize: true,
            })) as { embedding: number[] }
          ).embedding,
      ),
    );
  }
}

/**
 * A Bedrock guardrail applied on its own (ApplyGuardrail), for answer models that are not on
 * Bedrock (SageMaker, OpenAI-compatible): the question before the model sees it, the answer when
 * it is complete. IAM: `bedrock:ApplyGuardrail` on the guardrail.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ApplyGuardrail.html
 */
export class BedrockGuardrailChecker {
  constructor(
    readonly guardrail: BedrockGuardrail,
    private readonly client: BedrockRuntimeClient = new BedrockRuntimeClient({
      ...MODEL_CLIENT_LIMITS,
    }),
  ) {}

  /** Throws {@link GuardrailInterventionError} with the guardrail's message when it intervenes. */
  async check(
    on: "input" | "output",
    text: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const response = await withRetries(
      `Bedrock guardrail ${this.guardrail.guardrailIdentifier}`,
      () =>
        this.client.send(
          new ApplyGuardrailCommand({
            guardrailIdentifier: this.guardrail.guardrailIdentifier,
            guardrailVersion: this.guardrail.guardrailVersion,
            source: on === "input" ? "INPUT" : "OUTPUT",
            content: [{ text: { text } }],
          }),
          { abortSignal: signal },
        ),
    );
    if (response.action === "GUARDRAIL_INTERVENED")
      throw new GuardrailInterventionError(
        response.outputs?.map((o) => o.text ?? "").join("") ||
          "The guardrail stopped this.",
        on,
        this.guardrail.guardrailIdentifier,
        this.guardrail.trace ? guardrailPolicies(response.assessments) : [],
      );
  }
}

/**
 * The policies of a guardrail trace or assessment that acted, as `kind name: action` (`topic
 * Finance: BLOCKED`, `pii EMAIL: ANONYMIZED`): what administrators see of an intervention. Never
 * the matched text (a word or an e-mail address the policy found).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailAssessment.html
 */
export function guardrailPolicies(traceOrAssessments: unknown): string[] {
  type Named = { name?: string; type?: string; action?: string };
  const found = new Set<string>();
  const visit = (
    a: Record<string, { [k: string]: Named[] | undefined } | undefined>,
  ) => {
    const add = (
      kind: string,
      items: Named[] | undefined,
      label: (i: Named) => string,
    ) => {
      for (const i of items ?? [])
        found.add(`${kind} ${label(i)}: ${i.action ?? "?"}`);
    };
    add("topic", a.topicPolicy?.topics, (i) => i.name ?? "?");
    add("content", a.contentPolicy?.filters, (i) => i.type ?? "?");
    add("word", a.wordPolicy?.customWords, () => "(custom)");
    add("word", a.wordPolicy?.managedWordLists, (i) => i.type ?? "?");
    add("pii", a.sensitiveInformationPolicy?.piiEntities, (i) => i.type ?? "?");
    add("regex", a.sensitiveInformationPolicy?.regexes, (i) => i.name ?? "?");
    add(
      "grounding",
      a.contextualGroundingPolicy?.filters,
      (i) => i.type ?? "?",
    );
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== "object") return;
    const o = value as Record<string, unknown>;
    if (
      [
        "topicPolicy",
        "contentPolicy",
        "wordPolicy",
        "sensitiveInformationPolicy",
        "contextualGroundingPolicy",
      ].some((k) => k in o)
    )
      visit(o as never);
    // A trace holds assessments by guardrail id, for the input and each output.
    for (const key of ["inputAssessment", "outputAssessments"])
      if (key in o) Object.values(o[key] as object).forEach(walk);
  };
  walk(traceOrAssessments);
  return [...found];
}
