import { mkdtempSync, rmSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiAdapter } from "./api-adapter.js";
import { loadDemoUsers, type DemoUser } from "./demo-users.js";
import { CLI_CLIENT_ID, createIssuer, WEBSITE_CLIENT_ID } from "./issuer.js";
import { loadRoutes } from "./routes.js";
import { createTokenVerifier } from "./verify-token.js";
import { createWebsiteHandler } from "./website.js";

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
}

/** The running local stack. */
export interface LocalStack {
  readonly websiteUrl: string;
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly users: readonly DemoUser[];
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
  const users = loadDemoUsers(join(options.dataDir, "users.json"));
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

  const issuerUrl = `http://localhost:${portOf(issuerServer)}`;
  const websiteUrl = `http://localhost:${portOf(appServer)}`;
  const apiUrl = `${websiteUrl}/api`;
  try {
    issuerHandler.current = createIssuer({
      issuerUrl,
      websiteOrigin: websiteUrl,
      users,
      keyFile: join(options.dataDir, "issuer-key.json"),
    }).handle;
    const verifier = await createTokenVerifier({
      issuerUrl,
      clientIds: [WEBSITE_CLIENT_ID, CLI_CLIENT_ID],
    });
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
    appHandler.current = (req, res) =>
      req.url === "/api" || req.url?.startsWith("/api/")
        ? api(req, res)
        : website(req, res);
  } catch (e) {
    await Promise.all([close(issuerServer), close(appServer)]);
    throw e;
  }

  return {
    websiteUrl,
    apiUrl,
    issuerUrl,
    users,
    close: async () => {
      await Promise.all([close(issuerServer), close(appServer)]);
    },
  };
}

/**
 * A throwaway stack for tests and benchmarks: free ports, and a fresh data directory
 * (`<temp>/.sextant`) that `close()` removes.
 */
export async function startEphemeralStack(
  websiteDir: string,
): Promise<LocalStack & { readonly dataDir: string }> {
  const root = mkdtempSync(join(tmpdir(), "sextant-"));
  const dataDir = join(root, ".sextant");
  try {
    const stack = await startLocalStack({
      port: 0,
      issuerPort: 0,
      dataDir,
      websiteDir,
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
