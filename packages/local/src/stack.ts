import { mkdtempSync, rmSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provideServices } from "@sextant/api-typescript-handlers";
import { openDatabase, type OpenDatabase } from "@sextant/core/embedded";
import {
  corpusStats,
  currentInferenceConfig,
  ensureAssistant,
  ensureCollection,
  ingestFiles,
  listCollections,
  listEvaluationSets,
  redactPii,
  LocalEmbedder,
  embedderFromConfig,
  saveEvaluationSet,
  tesseractOcr,
  warmUp,
  type Database,
  type Embedder,
  type IngestProgress,
  type IngestSummary,
} from "@sextant/core/rag";
import { createApiAdapter } from "./api-adapter.js";
import {
  DEMO_ASSISTANT,
  DEMO_EVALUATION_SET,
  DEMO_COLLECTIONS,
  demoSubset,
  yearOf,
} from "./demo-corpus.js";
import { loadDemoUsers, type DemoUser } from "./demo-users.js";
import {
  createFederation,
  EXAMPLE_CORP,
  LOCAL_GROUP_MAPPING,
  loadDirectoryPeople,
  type DirectoryPerson,
} from "./federation.js";
import { CLI_CLIENT_ID, createIssuer, WEBSITE_CLIENT_ID } from "./issuer.js";
import { loadRoutes } from "./routes.js";
import { LocalUploads } from "./uploads.js";
import { LocalUserDirectory } from "./user-directory.js";
import { createTokenVerifier } from "./verify-token.js";
import { createWebsiteHandler } from "./website.js";

/** Where local upload URLs point, under the API. */
const UPLOADS_PATH = "/local-uploads";

/** The embedder the current inference configuration names (the offline one by default). */
async function configuredEmbedder(db: Database) {
  return embedderFromConfig((await currentInferenceConfig(db)).config);
}

/** A port that another process already holds. */
export class PortInUseError extends Error {
  readonly name = "PortInUseError";
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(
      `Port ${port} is already in use. Stop what holds it, or choose another port: ${variable}=<port> npm start`,
    );
  }
}

/** Options for {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Website and API port (0: any free port). */
  readonly port: number;
  /** OIDC issuer port (0: any free port). */
  readonly issuerPort: number;
  readonly host?: string;
  /** Where demo users and the issuer key are kept. */
  readonly dataDir: string;
  /** The built website. */
  readonly websiteDir: string;
  /** Any Postgres with pgvector instead of the embedded database in `<dataDir>/data`. @default - $DATABASE_URL, else embedded */
  readonly databaseUrl?: string;
  /** Ingest the demo corpus (State of the Union addresses since 1981) into an empty store. @default false */
  readonly seedDemoCorpus?: boolean;
  /** Progress of the demo-corpus ingest. */
  readonly onSeedProgress?: (progress: IngestProgress) => void;
  /** Receives one JSON access-log line per request to the website and API (`npm start` prints them). @default no access log */
  readonly accessLog?: (line: string) => void;
}

/**
 * One access-log line per request, in the fields of API Gateway's access logs: method, path,
 * status, milliseconds. Never the query string, headers or body, and upload paths without their
 * signed grant: nothing here is a credential or document content.
 */
function logAccess(
  write: (line: string) => void,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const started = performance.now();
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  const path = pathname.startsWith(`/api${UPLOADS_PATH}/`)
    ? `/api${UPLOADS_PATH}/…`
    : pathname;
  res.once("close", () =>
    write(
      JSON.stringify({
        level: "INFO",
        message: "request",
        method: req.method,
        // A path can carry what someone typed (an evaluation set's name): no personal data in logs.
        path: redactPii(path).text,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      }),
    ),
  );
}

/** The running local stack. */
export interface LocalStack {
  readonly websiteUrl: string;
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly users: readonly DemoUser[];
  /** The people of Example Corp, the directory `npm start` federates (they sign in there). */
  readonly directoryPeople: readonly DirectoryPerson[];
  /** The stack's database (tests look inside). */
  readonly db: Database;
  /** What seeding the demo corpus did, when it ran. */
  readonly seeded?: IngestSummary;
  close(): Promise<void>;
}

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

async function listen(
  handler: { current: Handler },
  port: number,
  host: string,
  variable: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    Promise.resolve(handler.current(req, res)).catch(() => {
      if (!res.headersSent)
        res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: "Internal error." }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new PortInUseError(port, variable) : e),
    );
    server.listen(port, host, resolve);
  });
  return server;
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts Sextant on this machine: the OIDC issuer (Cognito's stand-in) on its own origin, and the
 * website with the API under `/api` on another — the same handler code as on AWS.
 */
export async function startLocalStack(
  options: LocalStackOptions,
): Promise<LocalStack> {
  const host = options.host ?? "127.0.0.1";
  // The local deployment's policy: model servers on this machine may speak plain http (Ollama,
  // vLLM); anything else needs https and SEXTANT_MODEL_ENDPOINT_ORIGINS.
  process.env.SEXTANT_ALLOW_LOOPBACK_ENDPOINTS ??= "true";
  const usersFile = join(options.dataDir, "users.json");
  const users = loadDemoUsers(usersFile);
  const directoryPeople = loadDirectoryPeople(
    join(options.dataDir, "example-corp-people.json"),
  );
  // Ports first: a busy port is reported at once, before the database is touched.
  const notReady: Handler = (_req, res) => void res.writeHead(503).end();
  const issuerHandler = { current: notReady };
  const appHandler = { current: notReady };
  const issuerServer = await listen(
    issuerHandler,
    options.issuerPort,
    host,
    "SEXTANT_ISSUER_PORT",
  );
  let appServer: Server;
  try {
    appServer = await listen(appHandler, options.port, host, "SEXTANT_PORT");
  } catch (e) {
    await close(issuerServer);
    throw e;
  }
  let store: OpenDatabase;
  let seeded: IngestSummary | undefined;
  try {
    store = await openDatabase(
      join(options.dataDir, "data"),
      options.databaseUrl ?? process.env.DATABASE_URL,
    );
  } catch (e) {
    await Promise.all([close(issuerServer), close(appServer)]);
    throw e;
  }
  const { db } = store;
  // Scans and images uploaded here are read by OCR on this machine (started at the first one).
  const ocr = tesseractOcr();
  try {
    const embedder = await configuredEmbedder(db);
    if (options.seedDemoCorpus) seeded = await seedDemo(db, embedder, options);
    // The first question is answered as fast as the next ones (see warmUp); with the offline
    // embedder only: a model provider's would be called (and billed) for nothing.
    if (embedder instanceof LocalEmbedder) await warmUp(db, embedder);
  } catch (e) {
    await Promise.all([close(issuerServer), close(appServer), store.close()]);
    throw e;
  }

  const issuerUrl = `http://localhost:${portOf(issuerServer)}`;
  const websiteUrl = `http://localhost:${portOf(appServer)}`;
  const apiUrl = `${websiteUrl}/api`;
  try {
    // The issuer's users: administered through the API, and joined by federated sign-ins.
    const directory = new LocalUserDirectory(
      users,
      usersFile,
      LOCAL_GROUP_MAPPING,
    );
    issuerHandler.current = createIssuer({
      issuerUrl,
      websiteOrigin: websiteUrl,
      users,
      keyFile: join(options.dataDir, "issuer-key.json"),
      groupMapping: LOCAL_GROUP_MAPPING,
      federation: {
        provider: EXAMPLE_CORP,
        flow: createFederation({
          issuerUrl,
          people: directoryPeople,
          users,
          save: () => directory.save(),
          keyFile: join(options.dataDir, "example-corp-key.json"),
        }),
      },
    }).handle;
    const verifier = await createTokenVerifier({
      issuerUrl,
      clientIds: [WEBSITE_CLIENT_ID, CLI_CLIENT_ID],
    });
    const uploads = new LocalUploads({
      uploadUrlBase: `${apiUrl}${UPLOADS_PATH}`,
      dir: join(options.dataDir, "uploads"),
      onUploaded: async (file, collectionId) =>
        ingestFiles(db, await configuredEmbedder(db), [file], {
          collectionId,
          ocr,
        }),
      findOriginal: async (documentId) => {
        const { rows } = await db.query<{
          origin: string | null;
          file_name: string | null;
          media_type: string | null;
        }>(
          "SELECT origin, file_name, media_type FROM documents WHERE id = $1",
          [documentId],
        );
        const found = rows[0];
        return found?.origin
          ? {
              origin: found.origin,
              fileName: found.file_name ?? "document",
              mediaType: found.media_type ?? "application/octet-stream",
            }
          : undefined;
      },
    });
    provideServices({ db, users: directory, uploads });
    const api = createApiAdapter({
      routes: loadRoutes(),
      verifier,
      basePath: "/api",
    });
    const website = createWebsiteHandler(
      options.websiteDir,
      { apiUrl, issuerUrl, clientId: WEBSITE_CLIENT_ID },
      issuerUrl,
    );
    appHandler.current = (req, res) => {
      const url = req.url ?? "/";
      if (options.accessLog) logAccess(options.accessLog, req, res);
      if (url.startsWith(`/api${UPLOADS_PATH}/`)) {
        return uploads.handle(
          req,
          res,
          url.slice(`/api${UPLOADS_PATH}/`.length),
        );
      }
      return url === "/api" || url.startsWith("/api/")
        ? api(req, res)
        : website(req, res);
    };
  } catch (e) {
    await Promise.all([close(issuerServer), close(appServer)]);
    await store.close();
    throw e;
  }

  return {
    websiteUrl,
    apiUrl,
    issuerUrl,
    users,
    directoryPeople,
    db,
    ...(seeded ? { seeded } : {}),
    close: async () => {
      await Promise.all([close(issuerServer), close(appServer), ocr.close()]);
      await store.close();
    },
  };
}

/**
 * A throwaway stack for tests and benchmarks: free ports, and a fresh data directory
 * (`<temp>/.sextant`) that `close()` removes.
 */
export async function startEphemeralStack(
  websiteDir: string,
  options: Pick<LocalStackOptions, "seedDemoCorpus" | "databaseUrl"> = {},
): Promise<LocalStack & { readonly dataDir: string }> {
  const root = mkdtempSync(join(tmpdir(), "sextant-"));
  const dataDir = join(root, ".sextant");
  try {
    const stack = await startLocalStack({
      port: 0,
      issuerPort: 0,
      dataDir,
      websiteDir,
      ...options,
    });
    return {
      ...stack,
      dataDir,
      close: async () => {
        await stack.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Seeds an empty store with the demo addresses in the demo's collections; a store seeded before
 * collections existed gets them once (its addresses are moved, nothing is re-embedded). Undefined
 * when there was nothing to do.
 */
async function seedDemo(
  db: Database,
  embedder: Embedder,
  options: Pick<LocalStackOptions, "onSeedProgress">,
): Promise<IngestSummary | undefined> {
  const seeded = await seedDemoCollections(db, embedder, options);
  const recent = (await listCollections(db)).find(
    (c) => c.name === DEMO_ASSISTANT.collection,
  );
  if (recent)
    await ensureAssistant(
      db,
      { username: "sextant-demo" },
      {
        name: DEMO_ASSISTANT.name,
        description: DEMO_ASSISTANT.description,
        collectionIds: [recent.id],
        allCollections: false,
        groups: [...DEMO_ASSISTANT.groups],
        everyone: false,
      },
    );
  // Saved once: an administrator's later edits of the set are kept.
  if (
    !(await listEvaluationSets(db)).some(
      (s) => s.name === DEMO_EVALUATION_SET.name,
    )
  )
    await saveEvaluationSet(
      db,
      { username: "sextant-demo" },
      {
        name: DEMO_EVALUATION_SET.name,
        jsonl: DEMO_EVALUATION_SET.questions
          .map((q) => JSON.stringify(q))
          .join("\n"),
      },
    );
  return seeded;
}

async function seedDemoCollections(
  db: Database,
  embedder: Embedder,
  options: Pick<LocalStackOptions, "onSeedProgress">,
): Promise<IngestSummary | undefined> {
  const empty = (await corpusStats(db)).documents === 0;
  const named = new Set((await listCollections(db)).map((c) => c.name));
  if (!empty && DEMO_COLLECTIONS.every((c) => named.has(c.name))) return;
  const files = demoSubset();
  const [first, ...others] = await Promise.all(
    DEMO_COLLECTIONS.map(async (c) => ({
      ...c,
      id: (await ensureCollection(db, c.name, c.grants)).id,
    })),
  );
  // All in one bulk load (the vector index built once), then each other collection takes its
  // own: a move, which writes no chunk again.
  const seeded = await ingestFiles(db, embedder, files, {
    collectionId: first.id,
    onProgress: options.onSeedProgress,
  });
  for (const c of others)
    await ingestFiles(
      db,
      embedder,
      files.filter((f) => c.holds(yearOf(f.path))),
      { collectionId: c.id },
    );
  return seeded;
}
