import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { BulkIngestion } from "../constructs/ingestion";

/** Sextant's deployment stages. */
export type StageName = "dev" | "staging" | "prod";

/** What differs between stages: capacity, protection against deletion, retention. */
export interface StageConfig {
  readonly name: StageName;
  /** Aurora Serverless v2 capacity in ACUs; a minimum of 0 pauses the database when idle. */
  readonly database: {
    readonly minCapacity: number;
    readonly maxCapacity: number;
    /** Minutes of inactivity before an Aurora minimum of 0 pauses. */
    readonly pauseAfterMinutes: number;
    readonly deletionProtection: boolean;
    readonly backupRetentionDays: number;
  };
  /**
   * Interface endpoints the Lambdas need (each bills by the hour in each AZ it is in: see
   * docs/cost.md). Bedrock's is only needed once an administrator configures Bedrock models.
   */
  readonly endpoints: {
    readonly services: readonly ("cognito-idp" | "bedrock-runtime")[];
    readonly azs: number;
  };
  /** CloudFormation termination protection on the stack. */
  readonly terminationProtection: boolean;
  /** Retention of every log group (API access logs, Lambda logs, VPC flow logs). */
  readonly logRetention: RetentionDays;
  /** Bulk ingestion's Distributed Map (docs/ingestion.md has the capacity model). */
  readonly ingestion: Required<BulkIngestion>;
}

/** The stages, typed: the one place where dev, staging and prod differ. */
export const STAGES: Readonly<Record<StageName, StageConfig>> = {
  dev: {
    name: "dev",
    database: {
      minCapacity: 0,
      maxCapacity: 4,
      pauseAfterMinutes: 10,
      deletionProtection: false,
      backupRetentionDays: 1,
    },
    endpoints: { services: ["cognito-idp"], azs: 1 },
    terminationProtection: false,
    logRetention: RetentionDays.ONE_MONTH,
    ingestion: {
      maxConcurrency: 1,
      itemsPerBatch: 10,
      toleratedFailurePercentage: 5,
    },
  },
  staging: {
    name: "staging",
    database: {
      minCapacity: 0,
      maxCapacity: 8,
      pauseAfterMinutes: 30,
      deletionProtection: true,
      backupRetentionDays: 7,
    },
    endpoints: { services: ["cognito-idp", "bedrock-runtime"], azs: 2 },
    terminationProtection: false,
    logRetention: RetentionDays.THREE_MONTHS,
    ingestion: {
      maxConcurrency: 2,
      itemsPerBatch: 10,
      toleratedFailurePercentage: 5,
    },
  },
  prod: {
    name: "prod",
    database: {
      minCapacity: 0.5,
      maxCapacity: 16,
      pauseAfterMinutes: 0,
      deletionProtection: true,
      backupRetentionDays: 35,
    },
    endpoints: { services: ["cognito-idp", "bedrock-runtime"], azs: 2 },
    terminationProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    ingestion: {
      maxConcurrency: 5,
      itemsPerBatch: 10,
      toleratedFailurePercentage: 5,
    },
  },
};

/** The stage a name selects; an unknown name fails synth, naming the context key. */
export function stageConfig(name: string | undefined): StageConfig {
  const stage = STAGES[(name ?? "dev") as StageName];
  if (!stage) {
    throw new Error(
      `Context 'stage' is '${name}': use one of ${Object.keys(STAGES).join(", ")}.`,
    );
  }
  return stage;
}
