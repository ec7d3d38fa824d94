import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from "../errors";
import { DEFAULT_INFERENCE_CONFIG } from "./defaults";
import {
  deploymentPolicyFromEnv,
  enforceDeploymentPolicy,
  type DeploymentPolicy,
} from "./deployment-policy";
import { diffConfig, mergeConfig } from "./merge";
import type { InferenceConfig } from "./schema";
import { parseInferenceConfig } from "./validate";
import type { Caller } from "../identity/caller";

/** One immutable version of the inference configuration. */
export interface InferenceConfigVersion {
  /** 0 is the built-in default, before any administrator saved a configuration. */
  readonly version: number;
  readonly config: InferenceConfig;
  readonly author?: string;
  readonly createdAt?: Date;
}

/** The configuration of one message: the current one with an administrator's overrides, validated (400 naming `overrides.<field>`). */
export function withOverrides(
  config: InferenceConfig,
  overrides: Record<string, unknown> | undefined,
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): InferenceConfig {
  if (!overrides || Object.keys(overrides).length === 0) return config;
  // Where a model lives (and where its key and every passage go) is saved with a version and
  // audited, never changed for one message.
  const models = (overrides.models ?? {}) as Record<string, unknown>;
  const endpointChanges = Object.entries(models)
    .filter(([, m]) => m && typeof m === "object" && "endpoint" in m)
    .map(([step]) => ({
      path: `overrides.models.${step}.endpoint`,
      message: "cannot be overridden per message: save it in the configuration",
    }));
  if (endpointChanges.length)
    throw new InvalidInputError(
      "Overrides may not change a model's endpoint.",
      endpointChanges,
    );
  try {
    return enforceDeploymentPolicy(
      parseInferenceConfig(mergeConfig(config, overrides)),
      policy,
    );
  } catch (e) {
    if (e instanceof InvalidInputError) {
      throw new InvalidInputError(
        "The overrides make the inference configuration invalid.",
        e.fields.map((f) => ({ ...f, path: `overrides.${f.path}` })),
      );
    }
    throw e;
  }
}

/**
 * The configuration one message runs with: the current one, with overrides from an administrator
 * only (403 for anyone else), valid under the schema and the deployment's policy (400 naming
 * `overrides.<field>`), and recorded in the audit log (who, which session, which overrides).
 */
export async function configForMessage(
  db: Database,
  input: {
    readonly caller: Caller;
    readonly sessionId: string;
    readonly overrides?: Record<string, unknown>;
  },
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Promise<InferenceConfig> {
  const { caller, overrides } = input;
  if (overrides && !caller.isAdministrator) {
    throw new ForbiddenError(
      "Only members of the 'Administrators' group may send overrides; send the question alone.",
    );
  }
  const config = withOverrides(
    (await currentInferenceConfig(db)).config,
    overrides,
    policy,
  );
  if (overrides && Object.keys(overrides).length) {
    await recordAudit(db, {
      actor: caller.username,
      action: "chat.overrides",
      target: `session:${input.sessionId}`,
      detail: { overrides },
    });
  }
  return config;
}

interface VersionRow {
  version: number;
  config: InferenceConfig;
  author: string;
  created_at: Date;
}
const toVersion = (r: VersionRow): InferenceConfigVersion => ({
  version: r.version,
  config: r.config,
  author: r.author,
  createdAt: r.created_at,
});

/** The current configuration: the latest saved version, or version 0 (the defaults). */
export async function currentInferenceConfig(
  db: Database,
): Promise<InferenceConfigVersion> {
  const { rows } = await db.query<VersionRow>(
    "SELECT version, config, author, created_at FROM inference_config_versions ORDER BY version DESC LIMIT 1",
  );
  return rows[0]
    ? toVersion(rows[0])
    : { version: 0, config: DEFAULT_INFERENCE_CONFIG };
}

/** Every saved version, newest first (version 0, the defaults, is implicit). */
export async function listInferenceConfigVersions(
  db: Database,
): Promise<InferenceConfigVersion[]> {
  const { rows } = await db.query<VersionRow>(
    "SELECT version, config, author, created_at FROM inference_config_versions ORDER BY version DESC LIMIT 1000",
  );
  return rows.map(toVersion);
}

/**
 * Saves `candidate` as the next version if `expectedVersion` is still current: validated first
 * (400 naming each bad field), then written with its audit entry in one transaction. When another
 * update won the race, or `expectedVersion` is stale, it throws {@link PreconditionFailedError}
 * and writes nothing — the version's primary key makes "exactly one winner" hold in Postgres
 * itself, not in this process.
 */
export async function updateInferenceConfig(
  db: Database,
  input: {
    actor: string;
    expectedVersion: number;
    config: unknown;
    action?: "update" | "restore";
    restoredFrom?: number;
  },
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Promise<InferenceConfigVersion> {
  const config = enforceDeploymentPolicy(
    parseInferenceConfig(input.config),
    policy,
  );
  return db.transaction(async (tx) => {
    const current = await currentInferenceConfig(tx);
    if (current.version !== input.expectedVersion) {
      throw new PreconditionFailedError(
        `Version ${input.expectedVersion} is no longer current (${current.version} is): reload, reapply your change, and save again.`,
      );
    }
    const { rows } = await tx.query<VersionRow>(
      `INSERT INTO inference_config_versions (version, config, author) VALUES ($1, $2, $3)
       ON CONFLICT (version) DO NOTHING RETURNING version, config, author, created_at`,
      [current.version + 1, JSON.stringify(config), input.actor],
    );
    if (!rows[0]) {
      throw new PreconditionFailedError(
        `Another administrator saved version ${current.version + 1} first: reload, reapply your change, and save again.`,
      );
    }
    await recordAudit(tx, {
      actor: input.actor,
      action:
        input.action === "restore"
          ? "inference-config.restore"
          : "inference-config.update",
      target: `inference-config@${current.version + 1}`,
      detail: {
        ...(input.restoredFrom !== undefined
          ? { restoredFrom: input.restoredFrom }
          : {}),
        changes: diffConfig(current.config, config),
      },
    });
    return toVersion(rows[0]);
  });
}

/** Makes an earlier version current again, as a new version (history is never rewritten). */
export async function restoreInferenceConfigVersion(
  db: Database,
  input: { actor: string; version: number },
): Promise<InferenceConfigVersion> {
  const { rows } = await db.query<{ config: InferenceConfig }>(
    "SELECT config FROM inference_config_versions WHERE version = $1",
    [input.version],
  );
  const config =
    input.version === 0 ? DEFAULT_INFERENCE_CONFIG : rows[0]?.config;
  if (!config)
    throw new NotFoundError(
      `There is no inference-configuration version ${input.version}.`,
    );
  const current = await currentInferenceConfig(db);
  return updateInferenceConfig(db, {
    actor: input.actor,
    expectedVersion: current.version,
    config,
    action: "restore",
    restoredFrom: input.version,
  });
}
