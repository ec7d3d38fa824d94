import { z } from "zod";
import {
  assistantById,
  listAssistants,
  settingsOf,
  type AssistantSettings,
  type AssistantVersion,
} from "./assistants";
import { recordAudit, type AuditAction } from "../audit/audit-log";
import { groupNames } from "../collections/collections";
import type { Database } from "../db/database";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import {
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from "../errors";
import {
  checkQualityGate,
  configHash,
  recordVersionScore,
} from "../evaluation/evaluation-runs";
import type { Caller } from "../identity/caller";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import {
  deploymentPolicyFromEnv,
  enforceDeploymentPolicy,
  type DeploymentPolicy,
} from "../inference-config/deployment-policy";
import { diffConfig } from "../inference-config/merge";
import type { InferenceConfig } from "../inference-config/schema";
import { parseInferenceConfig } from "../inference-config/validate";

const settingsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100, "at most 100 characters"),
  description: z.string().trim().max(500, "at most 500 characters").default(""),
  collectionIds: z
    .array(z.string().uuid("must be a collection id"))
    .max(100, "at most 100 collections")
    .default([]),
  allCollections: z.boolean().default(false),
  groups: groupNames.default([]),
  everyone: z.boolean().default(false),
});

/**
 * An assistant as administrators write it (`POST /admin/assistants`, `PUT /admin/assistants/{id}`):
 * every setting, and its inference configuration (a new one starts from Default's when omitted).
 * Nobody may use it, and it searches nothing, unless the request says so.
 */
export const assistantRequest = settingsSchema
  .extend({ config: z.unknown().optional() })
  .strict();
export type AssistantRequest = z.output<typeof assistantRequest>;

/** Validates an assistant's settings and configuration (400 naming each bad field, the configuration's under `configPath`). */
async function validated(
  db: Database,
  id: string | undefined,
  input: AssistantSettings & { config: unknown },
  policy: DeploymentPolicy,
  configPath = "config.",
): Promise<AssistantSettings & { config: InferenceConfig }> {
  let config: InferenceConfig;
  try {
    config = enforceDeploymentPolicy(
      parseInferenceConfig(input.config),
      policy,
    );
  } catch (e) {
    if (e instanceof InvalidInputError)
      throw new InvalidInputError(
        e.message,
        e.fields.map((f) => ({ ...f, path: `${configPath}${f.path}` })),
      );
    throw e;
  }
  const collectionIds = [...new Set(input.collectionIds)];
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM collections WHERE id = ANY($1::uuid[])",
    [collectionIds],
  );
  const unknown = collectionIds.filter((c) => !rows.some((r) => r.id === c));
  if (unknown.length)
    throw new InvalidInputError(
      `There is no collection ${unknown.join(", ")}.`,
      unknown.map((c) => ({
        path: `collectionIds.${collectionIds.indexOf(c)}`,
        message: "is not a collection",
      })),
    );
  // Every assistant searches the one index, whose vectors Default's embedding model made: a question
  // embedded by another model would match nothing.
  if (id !== DEFAULT_ASSISTANT_ID) {
    const store = (await assistantById(db, DEFAULT_ASSISTANT_ID)).config;
    if (diffConfig(config.models.embeddings, store.models.embeddings).length)
      throw new InvalidInputError(
        "Every assistant embeds questions with the Default assistant's embedding model, which made the index's vectors.",
        [
          {
            path: `${configPath}models.embeddings`,
            message: "must be the Default assistant's",
          },
        ],
      );
  }
  return {
    ...settingsOf(input),
    collectionIds,
    groups: [...new Set(input.groups)],
    config,
  };
}

const nameTaken = (taken: string) =>
  new InvalidInputError(`An assistant named '${taken}' exists already.`, [
    { path: "name", message: "is taken" },
  ]);

/** Every changed setting, and each changed leaf of the configuration (`config.<path>`), as `{ path, from, to }`. */
const changesOf = (
  before: Partial<AssistantSettings> & { config?: InferenceConfig },
  after: AssistantSettings & { config: InferenceConfig },
) =>
  diffConfig(
    before.name === undefined
      ? {}
      : { ...settingsOf(before as AssistantSettings), config: before.config },
    { ...settingsOf(after), config: after.config },
  );

/** Keeps a version in the assistant's history: its settings and configuration as saved, and who saved it. */
const recordVersion = (
  tx: Database,
  id: string,
  version: number,
  assistant: AssistantSettings & { config: InferenceConfig },
  author: { readonly username: string },
) =>
  tx.query(
    "INSERT INTO assistant_versions (assistant_id, version, config, settings, author) VALUES ($1, $2, $3, $4, $5)",
    [
      id,
      version,
      JSON.stringify(assistant.config),
      JSON.stringify(settingsOf(assistant)),
      author.username,
    ],
  );

/** Creates an assistant as its version 1, audited field by field. */
export async function createAssistant(
  db: Database,
  actor: Caller,
  input: AssistantRequest,
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Promise<AssistantVersion> {
  const config =
    input.config ?? (await assistantById(db, DEFAULT_ASSISTANT_ID)).config;
  const assistant = await validated(
    db,
    undefined,
    { ...input, config },
    policy,
  );
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO assistants (name, description, collection_ids, all_collections, use_groups, everyone, version)
       VALUES ($1, $2, $3, $4, $5, $6, 1) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [
        assistant.name,
        assistant.description,
        assistant.collectionIds,
        assistant.allCollections,
        assistant.groups,
        assistant.everyone,
      ],
    );
    if (!rows[0]) throw nameTaken(assistant.name);
    const id = rows[0].id;
    await recordVersion(tx, id, 1, assistant, actor);
    await recordAudit(tx, {
      actor: actor.username,
      action: "assistant.create",
      target: `assistant:${id}@1`,
      detail: { changes: changesOf({}, assistant) },
    });
    return assistantById(tx, id);
  });
}

/**
 * Saves an assistant's next version if `expectedVersion` is still current (412 otherwise, and
 * nothing written): validated first (400 naming each bad field), then written with its audit entry,
 * field by field, in one transaction. The row's version is the lock: of two saves from the same
 * version, exactly one wins, in Postgres itself.
 */
export async function saveAssistant(
  db: Database,
  actor: Caller | { readonly username: string },
  id: string,
  input: {
    readonly expectedVersion: number;
    readonly assistant: AssistantSettings & { config: unknown };
    readonly action?: Extract<
      AuditAction,
      | "assistant.update"
      | "assistant.restore"
      | "inference-config.update"
      | "inference-config.restore"
    >;
    readonly restoredFrom?: number;
    /** The evaluation run of this draft, which the quality gate asks for when it is on. */
    readonly evaluationRunId?: string;
  },
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Promise<AssistantVersion> {
  // `/admin/inference-config` sends the configuration alone: its fields are named as they are.
  const inferenceConfigAction = input.action?.startsWith("inference-config");
  const assistant = await validated(
    db,
    id,
    input.assistant,
    policy,
    inferenceConfigAction ? "" : "config.",
  );
  return db.transaction(async (tx) => {
    const before = await assistantById(tx, id);
    const next = input.expectedVersion + 1;
    // The gate weighs configuration changes; a restore goes back to a version saved before, and a
    // rollback is never refused.
    const gated =
      policy.qualityGate &&
      !input.action?.endsWith(".restore") &&
      configHash(before.config) !== configHash(assistant.config)
        ? await checkQualityGate(tx, {
            assistantId: id,
            baseVersion: input.expectedVersion,
            config: assistant.config,
            runId: input.evaluationRunId,
          })
        : undefined;
    const { rows } = await tx
      .query<{ id: string }>(
        `UPDATE assistants SET name = $3, description = $4, collection_ids = $5, all_collections = $6,
              use_groups = $7, everyone = $8, version = $2, updated_at = now()
       WHERE id = $1 AND version = $2 - 1 RETURNING id`,
        [
          id,
          next,
          assistant.name,
          assistant.description,
          assistant.collectionIds,
          assistant.allCollections,
          assistant.groups,
          assistant.everyone,
        ],
      )
      .catch((e: unknown) => {
        if ((e as { code?: string }).code === "23505")
          throw nameTaken(assistant.name);
        throw e;
      });
    if (!rows[0])
      throw new PreconditionFailedError(
        `Version ${input.expectedVersion} is no longer current (${before.version} is): reload, reapply your change, and save again.`,
      );
    await recordVersion(tx, id, next, assistant, actor);
    if (gated)
      await recordVersionScore(tx, {
        assistantId: id,
        version: next,
        setName: gated.setName,
        runId: gated.id,
        report: gated.draft!,
      });
    await recordAudit(tx, {
      actor: actor.username,
      action: input.action ?? "assistant.update",
      target: inferenceConfigAction
        ? `inference-config@${next}`
        : `assistant:${id}@${next}`,
      detail: {
        ...(input.restoredFrom !== undefined
          ? { restoredFrom: input.restoredFrom }
          : {}),
        changes: inferenceConfigAction
          ? diffConfig(before.config, assistant.config)
          : changesOf(before, assistant),
      },
    });
    return assistantById(tx, id);
  });
}

/**
 * Makes an earlier version's configuration current again, as a new version (history is never
 * rewritten). Its name, collections and groups stay as they are now: restoring a prompt never
 * gives back an access that was taken away since.
 */
export async function restoreAssistantVersion(
  db: Database,
  actor: Caller | { readonly username: string },
  id: string,
  version: number,
  action:
    "assistant.restore" | "inference-config.restore" = "assistant.restore",
): Promise<AssistantVersion> {
  const current = await assistantById(db, id);
  const { rows } = await db.query<{ config: InferenceConfig }>(
    "SELECT config FROM assistant_versions WHERE assistant_id = $1 AND version = $2",
    [id, version],
  );
  const config =
    version === 0 && id === DEFAULT_ASSISTANT_ID
      ? DEFAULT_INFERENCE_CONFIG
      : rows[0]?.config;
  if (!config)
    throw new NotFoundError(
      `There is no version ${version} of the assistant '${current.name}'.`,
    );
  return saveAssistant(db, actor, id, {
    expectedVersion: current.version,
    assistant: { ...settingsOf(current), config },
    action,
    restoredFrom: version,
  });
}

/** The assistant of that name, created as given unless it exists (the demo). */
export async function ensureAssistant(
  db: Database,
  actor: { readonly username: string },
  input: AssistantRequest,
): Promise<AssistantVersion> {
  const existing = (await listAssistants(db)).find(
    (a) => a.name === input.name,
  );
  return existing ?? createAssistant(db, actor as Caller, input);
}
