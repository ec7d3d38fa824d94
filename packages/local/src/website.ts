import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { contentSecurityPolicy } from "@sextant/api-typescript-handlers";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".map": "application/json",
};

/** The website's runtime configuration, as the CDK app writes it to `runtime-config.json` on AWS. */
export interface RuntimeConfig {
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly clientId: string;
  /** Where to send the browser to sign out when the issuer has no `end_session_endpoint` (Cognito). */
  readonly signOutUrl?: string;
}

/**
 * The same security headers the CloudFront response-headers policy sets on AWS: a strict CSP
 * (no inline script, no wildcard; connect-src lists only the API and the issuer), no framing.
 */
export function securityHeaders(issuerOrigin: string): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy([issuerOrigin]),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}

/**
 * Serves the built website (`website/dist`) with `runtime-config.json` and SPA fallback to
 * `index.html`; paths can never leave the directory.
 */
export function createWebsiteHandler(
  dir: string,
  config: RuntimeConfig,
  issuerOrigin: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const headers = securityHeaders(issuerOrigin);
  const root = normalize(dir) + sep;
  return (req, res) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(
        new URL(req.url ?? "/", "http://localhost").pathname,
      );
    } catch {
      // A malformed escape (`/%`): the request's fault, never the server's.
      res.writeHead(400, {
        ...headers,
        "Content-Type": "text/plain; charset=utf-8",
      });
      res.end("Malformed URL.");
      return;
    }
    if (pathname === "/runtime-config.json") {
      res.writeHead(200, {
        ...headers,
        "Content-Type": TYPES[".json"],
        "Cache-Control": "no-store",
      });
      res.end(JSON.stringify(config));
      return;
    }
    if (!existsSync(join(root, "index.html"))) {
      res.writeHead(503, {
        ...headers,
        "Content-Type": "text/plain; charset=utf-8",
      });
      res.end(
        `The website is not built: run 'npm start' from the repository root (it builds ${dir}).`,
      );
      return;
    }
    let file = normalize(join(root, pathname));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile())
      file = join(root, "index.html");
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      ...headers,
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": immutable
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    });
    createReadStream(file).pipe(res);
  };
}
