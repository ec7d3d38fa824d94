import { PDKPipelineWithCodeConnection } from "@aws/pdk/pipeline";
import { Stack, Stage, type StackProps, type StageProps } from "aws-cdk-lib";
import { ManualApprovalStep } from "aws-cdk-lib/pipelines";
import { Construct } from "constructs";
import { SextantStack, type SextantStackProps } from "./sextant-stack";
import { STAGES, type StageConfig } from "../config/stages";

/** One deployment stage: the Sextant stack with that stage's configuration. */
export class SextantStage extends Stage {
  readonly stack: SextantStack;

  constructor(
    scope: Construct,
    id: string,
    props: StageProps & {
      config: StageConfig;
      app: Omit<SextantStackProps, "stage">;
    },
  ) {
    super(scope, id, props);
    this.stack = new SextantStack(this, `sextant-${props.config.name}`, {
      ...props.app,
      stage: props.config,
    });
  }
}

/** Props for {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  /** AWS CodeConnections connection to the repository host (CodeCommit takes no new customers). */
  readonly codeConnectionArn: string;
  /** `owner/name` of the repository. */
  readonly repository: string;
  /** @default "main" */
  readonly branch?: string;
  /** What every stage's stack is built from. */
  readonly app: Omit<SextantStackProps, "stage">;
}

/**
 * The optional delivery pipeline (PDK's PDKPipeline on CodePipeline): on each push to the branch
 * it runs `npm test`, synthesizes, and deploys dev, then staging, then — after a manual
 * approval — prod.
 */
export class PipelineStack extends Stack {
  readonly pipeline: PDKPipelineWithCodeConnection;
  readonly stages: SextantStage[] = [];

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    this.pipeline = new PDKPipelineWithCodeConnection(this, "Pipeline", {
      codeConnectionArn: props.codeConnectionArn,
      repositoryOwnerAndName: props.repository,
      defaultBranchName: props.branch ?? "main",
      primarySynthDirectory: "infra/cdk.out",
      crossAccountKeys: true,
      synthShellStepPartialProps: {
        commands: ["npm test", "cd infra && npx cdk synth"],
      },
    });
    for (const config of [STAGES.dev, STAGES.staging, STAGES.prod]) {
      const stage = new SextantStage(this, `Sextant-${config.name}`, {
        env: props.env,
        config,
        app: props.app,
      });
      this.pipeline.addStage(
        stage,
        config.name === "prod"
          ? { pre: [new ManualApprovalStep("PromoteToProd")] }
          : {},
      );
      this.stages.push(stage);
    }
    this.pipeline.buildPipeline();
  }
}
