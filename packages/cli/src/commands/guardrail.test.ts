import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  BedrockClient,
  CreateGuardrailVersionCommand,
  GetGuardrailCommand,
  UpdateGuardrailCommand,
  type GetGuardrailResponse,
} from "@aws-sdk/client-bedrock";
import { bedrockTopicsOf } from "@sextant/core/rag";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { syncGuardrailTopics, topicsUpdateRequest } from "./guardrail.js";

const bedrock = mockClient(BedrockClient);
beforeEach(() => bedrock.reset());

/** A working draft with every policy, in GetGuardrail's documented response shape (recorded, not a live call: Bedrock is mocked). https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html */
const DRAFT: GetGuardrailResponse = {
  name: "contoso-assistant",
  description: "Contoso's guardrail",
  guardrailId: "abc123def456",
  guardrailArn: "arn:aws:bedrock:eu-west-1:111122223333:guardrail/abc123def456",
  version: "DRAFT",
  status: "READY",
  topicPolicy: {
    topics: [
      {
        name: "Competitors",
        definition: "Questions about competitors' products.",
        examples: ["Is Fabrikam cheaper?"],
        type: "DENY",
        inputAction: "BLOCK",
        outputAction: "NONE",
      },
      {
        name: "Investment advice",
        definition: "An older definition",
        examples: [],
        type: "DENY",
      },
    ],
    tier: { tierName: "STANDARD" },
  },
  contentPolicy: {
    filters: [
      { type: "HATE", inputStrength: "HIGH", outputStrength: "HIGH" },
      { type: "PROMPT_ATTACK", inputStrength: "HIGH", outputStrength: "NONE" },
    ],
    tier: { tierName: "STANDARD" },
  },
  wordPolicy: {
    words: [{ text: "project nightingale" }],
    managedWordLists: [{ type: "PROFANITY" }],
  },
  sensitiveInformationPolicy: {
    piiEntities: [{ type: "AWS_SECRET_KEY", action: "BLOCK" }],
    regexes: [
      { name: "employee id", pattern: "E[0-9]{6}", action: "ANONYMIZE" },
    ],
  },
  contextualGroundingPolicy: {
    filters: [{ type: "GROUNDING", threshold: 0.75 }],
  },
  crossRegionDetails: {
    guardrailProfileId: "eu.guardrail.v1:0",
    guardrailProfileArn:
      "arn:aws:bedrock:eu-west-1:111122223333:guardrail-profile/eu.guardrail.v1:0",
  },
  createdAt: new Date("2026-11-01T00:00:00Z"),
  updatedAt: new Date("2026-11-02T00:00:00Z"),
  blockedInputMessaging: "Blocked by Contoso.",
  blockedOutputsMessaging: "Answer blocked by Contoso.",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd",
};

const MAPPING = bedrockTopicsOf([
  {
    name: "Investment advice",
    description: "Recommendations to buy or sell securities.",
    examples: ["Should I buy shares?"],
    message: "I cannot give investment advice.",
  },
]);

describe("sextant guardrail sync (Bedrock mocked: GetGuardrail/UpdateGuardrail/CreateGuardrailVersion in their documented shapes)", () => {
  it("carries every policy of the draft over, replaces the topic the configuration names, keeps the others", () => {
    const { request, kept } = topicsUpdateRequest(DRAFT, MAPPING.topics);
    expect(kept).toEqual(["Competitors"]);
    expect(request).toEqual({
      guardrailIdentifier: "abc123def456",
      name: "contoso-assistant",
      description: "Contoso's guardrail",
      blockedInputMessaging: "Blocked by Contoso.",
      blockedOutputsMessaging: "Answer blocked by Contoso.",
      kmsKeyId: DRAFT.kmsKeyArn,
      topicPolicyConfig: {
        topicsConfig: [
          DRAFT.topicPolicy!.topics![0],
          {
            name: "Investment advice",
            definition: "Recommendations to buy or sell securities.",
            examples: ["Should I buy shares?"],
            type: "DENY",
          },
        ],
        tierConfig: { tierName: "STANDARD" },
      },
      contentPolicyConfig: {
        filtersConfig: DRAFT.contentPolicy!.filters,
        tierConfig: { tierName: "STANDARD" },
      },
      wordPolicyConfig: {
        wordsConfig: DRAFT.wordPolicy!.words,
        managedWordListsConfig: DRAFT.wordPolicy!.managedWordLists,
      },
      sensitiveInformationPolicyConfig: {
        piiEntitiesConfig: DRAFT.sensitiveInformationPolicy!.piiEntities,
        regexesConfig: DRAFT.sensitiveInformationPolicy!.regexes,
      },
      contextualGroundingPolicyConfig: {
        filtersConfig: DRAFT.contextualGroundingPolicy!.filters,
      },
      crossRegionConfig: {
        guardrailProfileIdentifier:
          DRAFT.crossRegionDetails!.guardrailProfileArn,
      },
    });
  });

  it("with --replace leaves exactly the configuration's topics", () => {
    const { request, kept } = topicsUpdateRequest(DRAFT, MAPPING.topics, true);
    expect(kept).toEqual([]);
    expect(request.topicPolicyConfig!.topicsConfig!.map((t) => t.name)).toEqual(
      ["Investment advice"],
    );
  });

  it("updates the draft, waits for READY, publishes a version and waits for it", async () => {
    bedrock
      .on(GetGuardrailCommand, { guardrailVersion: "DRAFT" })
      .resolvesOnce(DRAFT)
      .resolvesOnce({ ...DRAFT, status: "UPDATING" })
      .resolves(DRAFT);
    bedrock
      .on(GetGuardrailCommand, { guardrailVersion: "7" })
      .resolvesOnce({ ...DRAFT, version: "7", status: "VERSIONING" })
      .resolves({ ...DRAFT, version: "7" });
    bedrock.on(UpdateGuardrailCommand).resolves({
      guardrailId: DRAFT.guardrailId,
      guardrailArn: DRAFT.guardrailArn,
      version: "DRAFT",
      updatedAt: new Date(),
    });
    bedrock
      .on(CreateGuardrailVersionCommand)
      .resolves({ guardrailId: DRAFT.guardrailId, version: "7" });

    const result = await syncGuardrailTopics(new BedrockClient({}), {
      guardrailIdentifier: DRAFT.guardrailArn!,
      mapping: MAPPING,
      pollMs: 1,
    });
    expect(result.version).toBe("7");
    expect(
      bedrock.calls().map((c) => {
        const input = c.args[0].input as { guardrailVersion?: string };
        return `${c.args[0].constructor.name} ${input.guardrailVersion ?? ""}`.trim();
      }),
    ).toEqual([
      "GetGuardrailCommand DRAFT",
      "UpdateGuardrailCommand",
      "GetGuardrailCommand DRAFT",
      "GetGuardrailCommand DRAFT",
      "CreateGuardrailVersionCommand",
      "GetGuardrailCommand 7",
      "GetGuardrailCommand 7",
    ]);
    expect(
      bedrock.commandCalls(CreateGuardrailVersionCommand)[0].args[0].input
        .description,
    ).toBe("Sextant: denied topics Investment advice");
  });

  it("changes nothing on a dry run", async () => {
    bedrock.on(GetGuardrailCommand).resolves(DRAFT);
    const result = await syncGuardrailTopics(new BedrockClient({}), {
      guardrailIdentifier: "abc123def456",
      mapping: MAPPING,
      dryRun: true,
    });
    expect(result.version).toBeUndefined();
    expect(bedrock.commandCalls(UpdateGuardrailCommand)).toHaveLength(0);
    expect(bedrock.commandCalls(CreateGuardrailVersionCommand)).toHaveLength(0);
  });

  it("stops with the status and reasons when the guardrail fails, and publishes nothing", async () => {
    bedrock
      .on(GetGuardrailCommand)
      .resolvesOnce(DRAFT)
      .resolves({
        ...DRAFT,
        status: "FAILED",
        statusReasons: ["topic definition rejected"],
      });
    await expect(
      syncGuardrailTopics(new BedrockClient({}), {
        guardrailIdentifier: "abc123def456",
        mapping: MAPPING,
        pollMs: 1,
      }),
    ).rejects.toThrow(
      "guardrail abc123def456 version DRAFT is FAILED: topic definition rejected",
    );
    expect(bedrock.commandCalls(CreateGuardrailVersionCommand)).toHaveLength(0);
  });
});

describe("sextant guardrail sync: what it refuses before calling AWS", () => {
  const bin = join(import.meta.dirname, "..", "..", "bin", "sextant.js");
  const dir = mkdtempSync(join(tmpdir(), "sextant-guardrail-"));
  const sync = (config: unknown) => {
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify(config));
    return promisify(execFile)(process.execPath, [
      bin,
      "guardrail",
      "sync",
      "--guardrail",
      "abc123def456",
      "--config",
      file,
    ]).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
  };

  it("names the field of a topic Bedrock would refuse", async () => {
    const { code, stderr } = await sync({
      config: {
        guardrails: {
          deniedTopics: [
            { name: "M&A", examples: ["Who will we buy?"], message: "No." },
          ],
        },
      },
    });
    expect(code).toBe(2);
    expect(stderr).toContain("guardrails.deniedTopics[0].name");
  });

  it("says so when the configuration has no denied topics", async () => {
    const { code, stderr } = await sync({});
    expect(code).toBe(2);
    expect(stderr).toContain("no guardrails.deniedTopics");
  });
});
