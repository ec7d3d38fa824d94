import { CfnOutput } from "aws-cdk-lib";
import { CfnGuardrail, CfnGuardrailVersion } from "aws-cdk-lib/aws-bedrock";
import { Construct } from "constructs";

/** The harmful-content categories the starter guardrail filters, at HIGH on questions and answers. */
export const STARTER_CONTENT_FILTERS = [
  "HATE",
  "INSULTS",
  "SEXUAL",
  "VIOLENCE",
  "MISCONDUCT",
] as const;

/**
 * A starter Bedrock guardrail (context key `starterGuardrail=true`): content filters at HIGH for
 * hate, insults, sexual content, violence and misconduct, on questions and answers; prompt-attack
 * detection at HIGH on questions (Bedrock evaluates it on input only); AWS access keys and secret
 * keys blocked in answers. Its version 1 is published; name it in a configuration
 * (`guardrails.bedrock`: the `StarterGuardrailId` output, version `1`), and the chat handlers may
 * apply it. Policies listed in docs/security.md.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-bedrock-guardrail.html
 */
export class StarterGuardrail extends Construct {
  /** The guardrail's ARN, for the chat handlers' `bedrock:ApplyGuardrail` grant. */
  readonly guardrailArn: string;
  readonly guardrailId: string;
  readonly version: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const guardrail = new CfnGuardrail(this, "Guardrail", {
      name: `${this.node.path.replace(/\//g, "-")}`.slice(0, 50),
      description:
        "Sextant's starter guardrail: harmful content, prompt attacks, AWS keys.",
      blockedInputMessaging:
        "This question cannot be answered: it was stopped by the organisation's guardrail.",
      blockedOutputsMessaging:
        "This answer was stopped by the organisation's guardrail.",
      contentPolicyConfig: {
        filtersConfig: [
          ...STARTER_CONTENT_FILTERS.map((type) => ({
            type,
            inputStrength: "HIGH",
            outputStrength: "HIGH",
          })),
          {
            type: "PROMPT_ATTACK",
            inputStrength: "HIGH",
            outputStrength: "NONE",
          },
        ],
      },
      sensitiveInformationPolicyConfig: {
        piiEntitiesConfig: [
          { type: "AWS_ACCESS_KEY", action: "BLOCK" },
          { type: "AWS_SECRET_KEY", action: "BLOCK" },
        ],
      },
    });
    const version = new CfnGuardrailVersion(this, "Version", {
      guardrailIdentifier: guardrail.attrGuardrailId,
      description: "Published by the deployment",
    });
    this.guardrailArn = guardrail.attrGuardrailArn;
    this.guardrailId = guardrail.attrGuardrailId;
    this.version = version.attrVersion;
    new CfnOutput(this, "Id", {
      key: "StarterGuardrailId",
      value: this.guardrailId,
      description: "guardrails.bedrock.guardrailIdentifier of a configuration",
    });
    new CfnOutput(this, "VersionOutput", {
      key: "StarterGuardrailVersion",
      value: this.version,
      description: "guardrails.bedrock.guardrailVersion of a configuration",
    });
  }
}
