import { existsSync, readFileSync } from "node:fs";
import {
  BedrockClient,
  CreateGuardrailVersionCommand,
  GetGuardrailCommand,
  UpdateGuardrailCommand,
  type GetGuardrailResponse,
  type GuardrailTopicConfig,
  type UpdateGuardrailRequest,
} from "@aws-sdk/client-bedrock";
import {
  bedrockTopicsOf,
  DEFAULT_INFERENCE_CONFIG,
  InvalidInputError,
  mergeConfig,
  parseInferenceConfig,
  type BedrockTopicsMapping,
  type DeniedTopic,
} from "@sextant/core/rag";
import type { Command } from "commander";

/**
 * The UpdateGuardrail request that sets a guardrail's denied topics and keeps everything else its
 * working draft has. UpdateGuardrail takes the whole guardrail (name and messages are required),
 * so every policy the draft has is carried over, field for field, rather than relying on what the
 * service does with a policy left out.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_UpdateGuardrail.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html
 *
 * Topics of the draft that the configuration also names are replaced; the others are kept, unless
 * `replace`, which leaves exactly the configuration's.
 */
export function topicsUpdateRequest(
  draft: GetGuardrailResponse,
  topics: readonly GuardrailTopicConfig[],
  replace = false,
): { request: UpdateGuardrailRequest; kept: string[] } {
  const names = new Set(topics.map((t) => t.name));
  const kept = replace
    ? []
    : (draft.topicPolicy?.topics ?? []).filter((t) => !names.has(t.name));
  const topicsConfig = [
    ...kept.map((t) => ({ ...t, type: t.type ?? "DENY" })),
    ...topics,
  ];
  const tier = <T>(tierConfig?: T) => (tierConfig ? { tierConfig } : {});
  const {
    contentPolicy,
    wordPolicy,
    sensitiveInformationPolicy,
    contextualGroundingPolicy,
    automatedReasoningPolicy,
    crossRegionDetails,
  } = draft;
  const request: UpdateGuardrailRequest = {
    guardrailIdentifier: draft.guardrailId,
    name: draft.name,
    description: draft.description,
    blockedInputMessaging: draft.blockedInputMessaging,
    blockedOutputsMessaging: draft.blockedOutputsMessaging,
    kmsKeyId: draft.kmsKeyArn,
    ...(topicsConfig.length && {
      topicPolicyConfig: { topicsConfig, ...tier(draft.topicPolicy?.tier) },
    }),
    ...(contentPolicy?.filters?.length && {
      contentPolicyConfig: {
        filtersConfig: contentPolicy.filters,
        ...tier(contentPolicy.tier),
      },
    }),
    ...(wordPolicy && {
      wordPolicyConfig: {
        wordsConfig: wordPolicy.words,
        managedWordListsConfig: wordPolicy.managedWordLists,
      },
    }),
    ...(sensitiveInformationPolicy && {
      sensitiveInformationPolicyConfig: {
        piiEntitiesConfig: sensitiveInformationPolicy.piiEntities,
        regexesConfig: sensitiveInformationPolicy.regexes,
      },
    }),
    ...(contextualGroundingPolicy?.filters?.length && {
      contextualGroundingPolicyConfig: {
        filtersConfig: contextualGroundingPolicy.filters,
        ...tier(contextualGroundingPolicy.tier),
      },
    }),
    ...(automatedReasoningPolicy?.policies?.length && {
      automatedReasoningPolicyConfig: automatedReasoningPolicy,
    }),
    ...(crossRegionDetails?.guardrailProfileId && {
      crossRegionConfig: {
        guardrailProfileIdentifier:
          crossRegionDetails.guardrailProfileArn ??
          crossRegionDetails.guardrailProfileId,
      },
    }),
  };
  return { request, kept: kept.map((t) => t.name!) };
}

/** What a sync did: the new version to name in the configuration, and what it left out. */
export interface SyncResult {
  readonly guardrailId: string;
  /** The published version (absent on a dry run). */
  readonly version?: string;
  readonly request: UpdateGuardrailRequest;
  /** Topics of the guardrail that the configuration does not name, kept as they were. */
  readonly kept: string[];
  readonly leftOut: BedrockTopicsMapping["leftOut"];
}

export interface SyncOptions {
  readonly guardrailIdentifier: string;
  readonly mapping: BedrockTopicsMapping;
  readonly replace?: boolean;
  readonly dryRun?: boolean;
  /** Between two reads of a guardrail that is not READY yet. @default 2 s */
  readonly pollMs?: number;
  /** How long a guardrail may take to be READY. @default 5 min */
  readonly timeoutMs?: number;
}

/** The guardrail version once its status is READY; an error naming the status and reasons otherwise. */
async function whenReady(
  client: BedrockClient,
  guardrailIdentifier: string,
  guardrailVersion: string,
  pollMs: number,
  timeoutMs: number,
): Promise<GetGuardrailResponse> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const guardrail = await client.send(
      new GetGuardrailCommand({ guardrailIdentifier, guardrailVersion }),
    );
    if (guardrail.status === "READY") return guardrail;
    if (guardrail.status === "FAILED" || Date.now() > until)
      throw new Error(
        `guardrail ${guardrailIdentifier} version ${guardrailVersion} is ${guardrail.status}${guardrail.statusReasons?.length ? `: ${guardrail.statusReasons.join("; ")}` : ""}`,
      );
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Makes a Bedrock guardrail deny the configuration's topics: reads its working draft, updates it
 * with the topics (every other policy as it was), and publishes a version once the draft is
 * READY. Versions, not the draft, are what a configuration should name: a version does not change
 * under the assistants that use it.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-deploy.html
 */
export async function syncGuardrailTopics(
  client: BedrockClient,
  options: SyncOptions,
): Promise<SyncResult> {
  const { pollMs = 2000, timeoutMs = 5 * 60_000 } = options;
  const draft = await whenReady(
    client,
    options.guardrailIdentifier,
    "DRAFT",
    pollMs,
    timeoutMs,
  );
  const { request, kept } = topicsUpdateRequest(
    draft,
    options.mapping.topics,
    options.replace,
  );
  const result = {
    guardrailId: draft.guardrailId!,
    request,
    kept,
    leftOut: options.mapping.leftOut,
  };
  if (options.dryRun) return result;
  await client.send(new UpdateGuardrailCommand(request));
  await whenReady(client, draft.guardrailId!, "DRAFT", pollMs, timeoutMs);
  const { version } = await client.send(
    new CreateGuardrailVersionCommand({
      guardrailIdentifier: draft.guardrailId,
      description:
        `Sextant: denied topics ${options.mapping.topics.map((t) => t.name).join(", ")}`.slice(
          0,
          200,
        ),
    }),
  );
  await whenReady(client, draft.guardrailId!, version!, pollMs, timeoutMs);
  return { ...result, version };
}

/** `sextant guardrail sync`: a configuration's denied topics into a Bedrock guardrail. */
export function guardrailCommand(program: Command): void {
  program
    .command("guardrail")
    .description("Work with the Amazon Bedrock guardrail of a configuration")
    .command("sync")
    .description(
      "Make a Bedrock guardrail deny a configuration's topics (guardrails.deniedTopics), keeping its other policies, and publish a version; runs with your AWS credentials (bedrock:GetGuardrail, UpdateGuardrail, CreateGuardrailVersion)",
    )
    .requiredOption("--guardrail <id or ARN>", "the guardrail to update")
    .requiredOption(
      "--config <file>",
      "an inference configuration, or the body of GET /admin/inference-config (its `config` is used); - reads standard input",
    )
    .option(
      "--replace",
      "remove the guardrail's denied topics that the configuration does not name (kept by default)",
    )
    .option("--dry-run", "print the UpdateGuardrail request and change nothing")
    .option("--region <region>", "the guardrail's region (default: the SDK's)")
    .action(
      async (options: {
        guardrail: string;
        config: string;
        replace?: boolean;
        dryRun?: boolean;
        region?: string;
      }) => {
        const fail = (message: string): never =>
          program.error(`error: ${message}`, { exitCode: 2 });
        if (options.config !== "-" && !existsSync(options.config))
          fail(`the configuration ${options.config} does not exist`);
        let body: any;
        try {
          body = JSON.parse(
            readFileSync(options.config === "-" ? 0 : options.config, "utf8"),
          );
        } catch {
          fail(`${options.config} is not JSON`);
        }
        let topics: DeniedTopic[] | undefined;
        try {
          topics = parseInferenceConfig(
            mergeConfig(DEFAULT_INFERENCE_CONFIG, body?.config ?? body),
          ).guardrails.deniedTopics;
        } catch (e) {
          if (!(e instanceof InvalidInputError)) throw e;
          return fail(
            `${e.message}\n${e.fields.map((f) => `  ${f.path}: ${f.message}`).join("\n")}`,
          );
        }
        if (!topics?.length)
          fail(
            "the configuration has no guardrails.deniedTopics: nothing to sync",
          );
        const mapping = bedrockTopicsOf(topics!);
        if (mapping.problems.length)
          fail(
            `some topics cannot be Bedrock topics; change them in the configuration:\n${mapping.problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
          );
        const result = await syncGuardrailTopics(
          new BedrockClient(options.region ? { region: options.region } : {}),
          {
            guardrailIdentifier: options.guardrail,
            mapping,
            replace: options.replace,
            dryRun: options.dryRun,
          },
        );
        for (const x of result.leftOut)
          console.error(
            `note: '${x.topic}': example left out of the Bedrock topic (${x.reason}): ${x.example}`,
          );
        if (result.kept.length)
          console.error(
            `note: kept the guardrail's own topics: ${result.kept.join(", ")} (--replace removes them)`,
          );
        if (options.dryRun) {
          console.log(JSON.stringify(result.request, null, 2));
          return;
        }
        console.log(
          `Guardrail ${result.guardrailId} version ${result.version} denies: ${mapping.topics.map((t) => t.name).join(", ")}.\nName it in the configuration:\n${JSON.stringify({ guardrails: { bedrock: { guardrailIdentifier: result.guardrailId, guardrailVersion: result.version } } })}`,
        );
      },
    );
}
