import { execFile } from "node:child_process";
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { connectPostgres } from "@sextant/core/store";
import { percentile, REPO_ROOT, round } from "@sextant/local";

const HANDLERS = join(REPO_ROOT, "api", "handlers", "typescript", "dist");
const BUNDLES = join(HANDLERS, "lambda");

/**
 * The budgets `npm run bench` holds every API bundle to (issue 28): at most 1 MiB of JavaScript
 * loaded at the cold start, and a module init of at most 100 ms, or 15× an empty module's in the
 * same run, whichever is larger on the machine of the day.
 */
export const BUNDLE_BUDGET = {
  atInitKb: 1024,
  initMs: 100,
  initTimesEmpty: 15,
} as const;

/** The first request of a fresh process, timed for these operations (one per kind of handler). */
const FIRST_REQUESTS = [
  { module: "get-me", method: "GET", resource: "/me" },
  { module: "list-sessions", method: "GET", resource: "/sessions" },
  {
    module: "search-documents",
    method: "POST",
    resource: "/documents/search",
    body: { query: "the purchase of Louisiana" },
  },
] as const;

const freshProcessEnv = (env: NodeJS.ProcessEnv) => ({
  ...process.env,
  AWS_REGION: "us-east-1",
  POWERTOOLS_DEV: "false",
  POWERTOOLS_LOG_LEVEL: "ERROR",
  ...env,
});
const lastNumber = (out: string) => Number(out.trim().split("\n").pop());

/**
 * Runs `script` (an ES module's body) in a fresh Node process; its stdout ends with a number of
 * ms. Asynchronous, so this process can serve the child's database meanwhile.
 */
function freshProcessMs(
  script: string,
  env: NodeJS.ProcessEnv = {},
): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      { env: freshProcessEnv(env), encoding: "utf8" },
      (error, stdout) => (error ? reject(error) : resolve(lastNumber(stdout))),
    ),
  );
}

/** Milliseconds to load and initialise the module `file` (what a Lambda cold start adds to the runtime's own start). */
function initMs(file: string): Promise<number> {
  return freshProcessMs(
    `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`,
  );
}

/**
 * Milliseconds from loading the bundle to the whole response of its first request: module init,
 * the database connection, what is built on first use (the related-words table), the query.
 */
function firstResponseMs(
  file: string,
  event: object,
  databaseUrl: string,
): Promise<number> {
  return freshProcessMs(
    `const t = performance.now();
const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
const response = await handler(${JSON.stringify(event)}, { functionName: "bench", awsRequestId: "bench", getRemainingTimeInMillis: () => 30000 });
if (response.statusCode !== 200) throw new Error("status " + response.statusCode + ": " + response.body);
process.stdout.write("\\n" + String(performance.now() - t));
process.exit(0);`,
    { DATABASE_URL: databaseUrl },
  );
}

/** An API Gateway proxy event of a signed-in user, as the Cognito authorizer hands it over. */
function apiEvent(method: string, resource: string, body?: unknown) {
  return {
    httpMethod: method,
    path: resource,
    resource,
    headers: { "content-type": "application/json" },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      authorizer: {
        claims: {
          sub: "bench-user",
          username: "bench",
          "cognito:groups": "",
          token_use: "access",
        },
      },
    },
  };
}

/**
 * Each API handler's Lambda bundle (`npx projen package` of the handlers): its JavaScript at init
 * and in all, and the median of `runs` module initialisations in fresh processes, against an
 * empty module (the baseline: what Node itself costs); then the first request of a fresh process
 * for one handler of each kind, against Postgres (PGlite over the wire protocol, migrated, empty).
 * `budget` lists what breaks {@link BUNDLE_BUDGET}; `npm run bench` fails on it.
 */
export async function benchColdStart(runs = 5) {
  const dir = mkdtempSync(join(tmpdir(), "sextant-cold-"));
  const pglite = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port: 0,
  });
  try {
    const empty = join(dir, "empty.mjs");
    writeFileSync(empty, "export const handler = async () => ({});");
    /** The median of `runs` samples, taken one after another (never two processes at once). */
    const median = async (sample: () => Promise<number>) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(await sample());
      return round(percentile(samples, 50), 1);
    };
    const baselineMs = await median(() => initMs(empty));
    const sizes: Record<string, { atInitBytes: number; allBytes: number }> =
      JSON.parse(readFileSync(join(HANDLERS, "bundle-sizes.json"), "utf8"));
    const handlers: {
      handler: string;
      atInitKb: number;
      allKb: number;
      initMs: number;
    }[] = [];
    for (const name of readdirSync(BUNDLES))
      if (statSync(join(BUNDLES, name, "index.mjs"), { throwIfNoEntry: false }))
        handlers.push({
          handler: name,
          atInitKb: Math.round(sizes[name].atInitBytes / 1024),
          allKb: Math.round(sizes[name].allBytes / 1024),
          initMs: await median(() => initMs(join(BUNDLES, name, "index.mjs"))),
        });
    handlers.sort((a, b) => b.initMs - a.initMs);

    await server.start();
    const databaseUrl = `postgres://postgres@${server.getServerConn()}/postgres`;
    const migrated = await connectPostgres(databaseUrl, { max: 1 });
    await migrated.close();
    const firstRequests: { handler: string; firstResponseMs: number }[] = [];
    for (const r of FIRST_REQUESTS)
      firstRequests.push({
        handler: r.module,
        firstResponseMs: await median(() =>
          firstResponseMs(
            join(BUNDLES, r.module, "index.mjs"),
            apiEvent(r.method, r.resource, "body" in r ? r.body : undefined),
            databaseUrl,
          ),
        ),
      });

    const initLimitMs = Math.max(
      BUNDLE_BUDGET.initMs,
      BUNDLE_BUDGET.initTimesEmpty * baselineMs,
    );
    const budget = handlers.flatMap((h) => [
      ...(h.atInitKb > BUNDLE_BUDGET.atInitKb
        ? [
            `${h.handler}: ${h.atInitKb} KB at init > ${BUNDLE_BUDGET.atInitKb} KB`,
          ]
        : []),
      ...(h.initMs > initLimitMs
        ? [`${h.handler}: init ${h.initMs} ms > ${round(initLimitMs, 1)} ms`]
        : []),
    ]);
    return {
      baseline: { what: "an empty module", initMs: baselineMs },
      initLimitMs: round(initLimitMs, 1),
      handlers,
      firstRequests,
      budget,
    };
  } finally {
    await server.stop();
    await pglite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
