import { readableCollections } from "../collections/collections";
import type { Database } from "../db/database";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { ForbiddenError, InvalidInputError, NotFoundError } from "../errors";
import type { Caller } from "../identity/caller";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import type { InferenceConfig } from "../inference-config/schema";
import { isUuid } from "../input/cursor";

// Reading assistants (every question does). Writing them is in ./administer-assistants, apart, so
// that what only reads (the ingestion steps read Default's configuration) bundles no validation.

/** What an assistant is besides its inference configuration: its name, what it searches, who uses it. */
export interface AssistantSettings {
  readonly name: string;
  readonly description: string;
  /** The collections it searches (each intersected with what its user can read). */
  readonly collectionIds: string[];
  /** It searches every collection its user can read ("Default"); `collectionIds` is then unused. */
  readonly allCollections: boolean;
  /** Cognito groups whose members may use it. */
  readonly groups: string[];
  /** Everyone signed in may use it: an explicit grant, never a default. */
  readonly everyone: boolean;
}

/** One version of an assistant: its settings and configuration as saved then. */
export interface AssistantVersion extends AssistantSettings {
  readonly id: string;
  /** 0 is "Default" before any administrator saved a configuration: the built-in defaults. */
  readonly version: number;
  readonly config: InferenceConfig;
  readonly author?: string;
  readonly createdAt?: Date;
}

/** An assistant as a user choosing one sees it. */
export interface AssistantSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

interface Row {
  id: string;
  name: string;
  description: string;
  collection_ids: string[];
  all_collections: boolean;
  use_groups: string[];
  everyone: boolean;
  version: number;
  config: InferenceConfig | null;
  author: string | null;
  created_at: Date | null;
}

const CURRENT = `SELECT a.id, a.name, a.description, a.collection_ids, a.all_collections, a.use_groups,
       a.everyone, a.version, v.config, v.author, v.created_at
  FROM assistants a LEFT JOIN assistant_versions v ON v.assistant_id = a.id AND v.version = a.version`;

const toVersion = (r: Row): AssistantVersion => ({
  id: r.id,
  name: r.name,
  description: r.description,
  collectionIds: r.collection_ids,
  allCollections: r.all_collections,
  groups: r.use_groups,
  everyone: r.everyone,
  version: r.version,
  config: r.config ?? DEFAULT_INFERENCE_CONFIG,
  ...(r.author ? { author: r.author } : {}),
  ...(r.created_at ? { createdAt: r.created_at } : {}),
});

/** An assistant's settings alone (what a version stores besides its configuration). */
export const settingsOf = (a: AssistantSettings): AssistantSettings => ({
  name: a.name,
  description: a.description,
  collectionIds: a.collectionIds,
  allCollections: a.allCollections,
  groups: a.groups,
  everyone: a.everyone,
});

const notFound = () => new NotFoundError("There is no such assistant.");

/** Every assistant as it is now, by name (administrators). */
export async function listAssistants(
  db: Database,
): Promise<AssistantVersion[]> {
  const { rows } = await db.query<Row>(`${CURRENT} ORDER BY a.name`);
  return rows.map(toVersion);
}

/** An assistant as it is now; {@link NotFoundError} when there is none. */
export async function assistantById(
  db: Database,
  id: string,
): Promise<AssistantVersion> {
  if (!isUuid(id)) throw notFound();
  const { rows } = await db.query<Row>(`${CURRENT} WHERE a.id = $1`, [id]);
  if (!rows[0]) throw notFound();
  return toVersion(rows[0]);
}

const mayUse = (a: AssistantSettings, caller: Caller) =>
  a.everyone ||
  caller.isAdministrator ||
  a.groups.some((g) => caller.groups.includes(g));

/** The assistants `caller` may use, Default first, then by name: those for everyone or one of their groups (administrators: all). */
export async function usableAssistants(
  db: Database,
  caller: Caller,
): Promise<AssistantSummary[]> {
  return (await listAssistants(db))
    .filter((a) => mayUse(a, caller))
    .sort(
      (a, b) =>
        Number(b.id === DEFAULT_ASSISTANT_ID) -
        Number(a.id === DEFAULT_ASSISTANT_ID),
    )
    .map(({ id, name, description }) => ({ id, name, description }));
}

/**
 * The assistant a question runs with, and the collections it may draw on: the assistant's,
 * intersected with what `caller` reads now. Read at each question, so a grant removed (from the
 * assistant or a collection) or a group left counts from the next one. A caller who may no longer
 * use the assistant is refused (403). Its configuration embeds with Default's embedding model.
 */
export async function assistantForQuestion(
  db: Database,
  caller: Caller,
  assistantId: string,
): Promise<{ assistant: AssistantVersion; collections: string[] }> {
  const assistant = await assistantById(db, assistantId);
  if (!mayUse(assistant, caller))
    throw new ForbiddenError(
      `You may no longer use the assistant '${assistant.name}': start a new conversation with another one.`,
    );
  return assistantScope(db, caller, assistant);
}

/**
 * What an assistant searches for `caller` (its collections as far as they read them now), and its
 * configuration as a question runs it: embedding with the model that made the index's vectors,
 * Default's, even when that changed after this assistant was saved. The chat and evaluation runs.
 */
export async function assistantScope(
  db: Database,
  caller: Caller,
  saved: AssistantVersion,
): Promise<{ assistant: AssistantVersion; collections: string[] }> {
  let assistant = saved;
  const readable = await readableCollections(db, caller.groups);
  if (assistant.id !== DEFAULT_ASSISTANT_ID) {
    const { embeddings } = (await assistantById(db, DEFAULT_ASSISTANT_ID))
      .config.models;
    assistant = {
      ...assistant,
      config: {
        ...assistant.config,
        models: { ...assistant.config.models, embeddings },
      },
    };
  }
  const collections = assistant.allCollections
    ? readable
    : readable.filter((c) => assistant.collectionIds.includes(c));
  return { assistant, collections };
}

/** Checks that `caller` may start a conversation with the assistant (400 naming `assistantId` otherwise). */
export async function assistantForNewSession(
  db: Database,
  caller: Caller,
  assistantId: string,
): Promise<AssistantVersion> {
  const refuse = () =>
    new InvalidInputError(
      "There is no assistant with that id that you may use.",
      [{ path: "assistantId", message: "is not an assistant you may use" }],
    );
  const assistant = await assistantById(db, assistantId).catch((e) => {
    throw e instanceof NotFoundError ? refuse() : e;
  });
  if (!mayUse(assistant, caller)) throw refuse();
  return assistant;
}

/** Every saved version of an assistant, newest first (Default's version 0, the defaults, is implicit). */
export async function listAssistantVersions(
  db: Database,
  id: string,
): Promise<AssistantVersion[]> {
  await assistantById(db, id);
  const { rows } = await db.query<{
    version: number;
    config: InferenceConfig;
    settings: AssistantSettings;
    author: string;
    created_at: Date;
  }>(
    `SELECT version, config, settings, author, created_at FROM assistant_versions
     WHERE assistant_id = $1 ORDER BY version DESC LIMIT 1000`,
    [id],
  );
  return rows.map((r) => ({
    id,
    ...r.settings,
    version: r.version,
    config: r.config,
    author: r.author,
    createdAt: r.created_at,
  }));
}
