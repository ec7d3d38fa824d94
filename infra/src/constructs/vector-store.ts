import * as path from "path";
import { MIGRATIONS, splitStatements } from "@sextant/core/store";
import { CustomResource, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  Port,
  type IConnectable,
  type IVpc,
  type SubnetSelection,
} from "aws-cdk-lib/aws-ec2";
import {
  Effect,
  PolicyStatement,
  Role,
  ServicePrincipal,
  Grant,
  type IGrantable,
  type IRole,
} from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  AuroraPostgresEngineVersion,
  CfnDBCluster,
  ClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
  ParameterGroup,
} from "aws-cdk-lib/aws-rds";
import { Construct } from "constructs";
import { lambdaBundling } from "./lambda-bundling";
import type { MigrateProperties } from "../lambda/migrate";

/** Props for {@link VectorStore}. */
export interface VectorStoreProps {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  /** Aurora Serverless v2 capacity (ACUs); 0 lets the cluster pause when idle. @default 0 */
  readonly minCapacity?: number;
  /** @default 4 */
  readonly maxCapacity?: number;
  /** Idle minutes before a cluster with minimum 0 pauses. @default 10 */
  readonly pauseAfterMinutes?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default 7 */
  readonly backupRetentionDays?: number;
  /** Not Postgres's well-known 5432. @default 5433 */
  readonly port?: number;
  /** Not `postgres`. @default "sextant_admin" */
  readonly masterUsername?: string;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/** The application's database user: IAM authentication only, no password anywhere. */
export const APP_DATABASE_USER = "sextant_app";
const DATABASE_NAME = "sextant";

/**
 * Aurora PostgreSQL Serverless v2 with pgvector: encrypted with a customer-managed KMS key, in
 * isolated subnets, on a non-default port with a non-default master user whose password RDS
 * generates, keeps in Secrets Manager and rotates itself; IAM database authentication for the
 * application; the RDS Data API for the schema migration, which runs on every deployment.
 */
export class VectorStore extends Construct {
  readonly cluster: DatabaseCluster;
  readonly key: Key;
  readonly port: number;

  constructor(scope: Construct, id: string, props: VectorStoreProps) {
    super(scope, id);
    this.port = props.port ?? 5433;
    if (this.port === 5432)
      throw new Error(
        "VectorStore port: choose a port other than Postgres's default 5432.",
      );
    const minCapacity = props.minCapacity ?? 0;
    this.key = new Key(this, "Key", {
      enableKeyRotation: true,
      description: "Sextant vector store: Aurora storage and the master secret",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A known identifier, so the log group RDS writes to is created here with its retention
    // (instead of by CDK's LogRetention custom resource).
    const clusterIdentifier =
      `${Stack.of(this).stackName}-vectors`.toLowerCase();
    const postgresLogs = new LogGroup(this, "PostgresLogs", {
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    const engine = DatabaseClusterEngine.auroraPostgres({
      version: AuroraPostgresEngineVersion.VER_17_5,
    });
    this.cluster = new DatabaseCluster(this, "Cluster", {
      engine,
      // Connections without TLS are refused by the server, whatever a client asks for.
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html#AuroraPostgreSQL.Security.SSL.Requiring
      parameterGroup: new ParameterGroup(this, "Parameters", {
        engine,
        description: "Sextant vector store: TLS required",
        parameters: { "rds.force_ssl": "1" },
      }),
      credentials: Credentials.fromUsername(
        props.masterUsername ?? "sextant_admin",
      ),
      manageMasterUserPassword: true,
      defaultDatabaseName: DATABASE_NAME,
      port: this.port,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      writer: ClusterInstance.serverlessV2("Writer", {
        autoMinorVersionUpgrade: true,
      }),
      serverlessV2MinCapacity: minCapacity,
      serverlessV2MaxCapacity: props.maxCapacity ?? 4,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      iamAuthentication: true,
      enableDataApi: true,
      deletionProtection: props.deletionProtection ?? true,
      backup: { retention: Duration.days(props.backupRetentionDays ?? 7) },
      clusterIdentifier,
      cloudwatchLogsExports: ["postgresql"],
      removalPolicy:
        props.deletionProtection === false
          ? RemovalPolicy.DESTROY
          : RemovalPolicy.SNAPSHOT,
    });
    this.cluster.node.addDependency(postgresLogs);
    const cfn = this.cluster.node.defaultChild as CfnDBCluster;
    // The RDS-managed master secret, encrypted with the same customer-managed key.
    cfn.masterUserSecret = { kmsKeyId: this.key.keyArn };
    if (minCapacity === 0) {
      cfn.addPropertyOverride(
        "ServerlessV2ScalingConfiguration.SecondsUntilAutoPause",
        (props.pauseAfterMinutes ?? 10) * 60,
      );
    }

    this.migrate(props.logRetention ?? RetentionDays.ONE_MONTH);
  }

  /** `postgres://sextant_app@<endpoint>:<port>/sextant`: no password, IAM authentication (`DATABASE_IAM_AUTH=true`). */
  get databaseUrl(): string {
    return `postgres://${APP_DATABASE_USER}@${this.cluster.clusterEndpoint.hostname}:${this.port}/${DATABASE_NAME}`;
  }

  /** Lets a function connect as the application user: network path and `rds-db:connect`, nothing else. */
  grantConnect(grantee: IGrantable & IConnectable): Grant {
    this.cluster.connections.allowFrom(
      grantee,
      Port.tcp(this.port),
      "Sextant API handlers",
    );
    return this.cluster.grantConnect(grantee, APP_DATABASE_USER);
  }

  /** The schema of `packages/core`, applied through the Data API by a custom resource on every deployment. */
  private migrate(logRetention: RetentionDays): void {
    const cfn = this.cluster.node.defaultChild as CfnDBCluster;
    const logGroup = new LogGroup(this, "MigrateLogs", {
      retention: logRetention,
    });
    // An explicit role instead of the AWS-managed AWSLambdaBasicExecutionRole.
    const role = new Role(this, "MigrateRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(this, "Migrate", {
      role,
      entry: path.join(__dirname, "..", "lambda", "migrate.ts"),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.minutes(10),
      memorySize: 256,
      logGroup,
      bundling: lambdaBundling(),
    });
    this.cluster.grantDataApiAccess(fn);
    grantMasterSecret(fn.role!, cfn.attrMasterUserSecretSecretArn, this.key);
    const properties: MigrateProperties = {
      ResourceArn: this.cluster.clusterArn,
      SecretArn: cfn.attrMasterUserSecretSecretArn,
      Database: DATABASE_NAME,
      Migrations: MIGRATIONS.map((m) => ({
        id: m.id,
        statements: splitStatements(m.sql),
        after: m.after,
      })),
      AfterMigrations: [
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_DATABASE_USER}') THEN CREATE ROLE ${APP_DATABASE_USER} LOGIN; END IF; END $$`,
        `GRANT rds_iam TO ${APP_DATABASE_USER}`,
        `GRANT USAGE ON SCHEMA public TO ${APP_DATABASE_USER}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_DATABASE_USER}`,
        // The audit log is append-only for the application: what it wrote, it cannot rewrite.
        `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${APP_DATABASE_USER}`,
        `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_DATABASE_USER}`,
        "CREATE INDEX IF NOT EXISTS chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops)",
      ],
    };
    const resource = new CustomResource(this, "Schema", {
      serviceToken: fn.functionArn,
      resourceType: "Custom::SextantSchema",
      properties: properties as unknown as Record<string, unknown>,
    });
    resource.node.addDependency(this.cluster);
  }
}

/** Read access to the RDS-managed master secret (its ARN is only known at deploy time). */
function grantMasterSecret(role: IRole, secretArn: string, key: Key): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["secretsmanager:GetSecretValue"],
      resources: [secretArn],
    }),
  );
  key.grantDecrypt(role);
}
