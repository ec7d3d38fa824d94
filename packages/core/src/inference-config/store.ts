import {
  restoreAssistantVersion,
  saveAssistant,
} from "../assistants/administer-assistants";
import {
  assistantById,
  listAssistantVersions,
  type AssistantVersion,
} from "../assistants/assistants";
import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { ForbiddenError, InvalidInputError } from "../errors";
import {
  deploymentPolicyFromEnv,
  enforceDeploymentPolicy,
  type DeploymentPolicy,
} from "./deployment-policy";
import { mergeConfig } from "./merge";
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

/** Overrides are for administrators only: 403 for anyone else, before anything else is looked at. */
export function refuseOverridesOfNonAdministrators(
  caller: Caller,
  overrides: Record<string, unknown> | undefined,
): void {
  if (overrides && !caller.isAdministrator)
    throw new ForbiddenError(
      "Only members of the 'Administrators' group may send overrides; send the question alone.",
    );
}

/**
 * The configuration one message runs with: its assistant's, with overrides from an administrator
 * only (403 for anyone else), valid under the schema and the deployment's policy (400 naming
 * `overrides.<field>`), and recorded in the audit log (who, which session, which overrides).
 */
export async function configForMessage(
  db: Database,
  input: {
    readonly caller: Caller;
    readonly sessionId: string;
    /** The assistant's current configuration. */
    readonly config: InferenceConfig;
    readonly overrides?: Record<string, unknown>;
  },
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Promise<InferenceConfig> {
  const { caller, overrides } = input;
  refuseOverridesOfNonAdministrators(caller, overrides);
  const config = withOverrides(input.config, overrides, policy);
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

const toVersion = (a: AssistantVersion): InferenceConfigVersion => ({
  version: a.version,
  config: a.config,
  ...(a.author ? { author: a.author } : {}),
  ...(a.createdAt ? { createdAt: a.createdAt } : {}),
});

// `/admin/inference-config` is the Default assistant's configuration: its routes read and write
// Default's versions, keeping its name, collections and users as they are.

/** The current configuration of the Default assistant: its latest saved version, or version 0 (the defaults). */
export async function currentInferenceConfig(
  db: Database,
): Promise<InferenceConfigVersion> {
  return toVersion(await assistantById(db, DEFAULT_ASSISTANT_ID));
}

/** Every saved version of the Default assistant's configuration, newest first (version 0, the defaults, is implicit). */
export async function listInferenceConfigVersions(
  db: Database,
): Promise<InferenceConfigVersion[]> {
  return (await listAssistantVersions(db, DEFAULT_ASSISTANT_ID)).map(toVersion);
}

/**
 * Saves `candidate` as the Default assistant's next version if `expectedVersion` is still current:
 * validated first (400 naming each bad field), then written with its audit entry in one
 * transaction; a stale `expectedVersion`, or another save that won the race, is
 * {@link PreconditionFailedError} and writes nothing (see {@link saveAssistant}).
 */
export async function updateInferenceConfig(
  db: Database,
  input: {
    actor: string;
    expectedVersion: number;
    config: unknown;
    /** The evaluation run of this draft (the quality gate asks for one when it is on). */
    evaluationRunId?: string;
  },
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Promise<InferenceConfigVersion> {
  const current = await assistantById(db, DEFAULT_ASSISTANT_ID);
  return toVersion(
    await saveAssistant(
      db,
      { username: input.actor },
      DEFAULT_ASSISTANT_ID,
      {
        expectedVersion: input.expectedVersion,
        assistant: { ...current, config: input.config },
        action: "inference-config.update",
        evaluationRunId: input.evaluationRunId,
      },
      policy,
    ),
  );
}

/** Makes an earlier version current again, as a new version (history is never rewritten). */
export async function restoreInferenceConfigVersion(
  db: Database,
  input: { actor: string; version: number },
): Promise<InferenceConfigVersion> {
  return toVersion(
    await restoreAssistantVersion(
      db,
      { username: input.actor },
      DEFAULT_ASSISTANT_ID,
      input.version,
      "inference-config.restore",
    ),
  );
}
