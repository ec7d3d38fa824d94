import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname } from "node:path";
import type { GroupMapping } from "@sextant/core";
import Provider, { errors, type KoaContextWithOIDC } from "oidc-provider";
import {
  CLI_CLIENT_ID,
  DEMO_PASSWORD_GRANT,
  WEBSITE_CLIENT_ID,
} from "./client-ids.js";
import { authenticate, groupsOf, type DemoUser } from "./demo-users.js";
import type { Federation } from "./federation.js";
import { handleInteraction } from "./interactions.js";
import {
  SIGN_IN_MESSAGES,
  signInLanguage,
  type SignInLanguage,
} from "./sign-in-messages.js";

/** The audience (resource indicator) of the API's access tokens. */
export const API_RESOURCE = "urn:sextant:api";
const SCOPES = "openid email profile";

/** The API as a resource server: RS256-signed JWT access tokens for one hour, like Cognito's. */
const API_RESOURCE_SERVER = {
  scope: SCOPES,
  audience: API_RESOURCE,
  accessTokenFormat: "jwt",
  accessTokenTTL: 3600,
  jwt: { sign: { alg: "RS256" } },
} as const;

/** Options for {@link createIssuer}. */
export interface IssuerOptions {
  readonly issuerUrl: string;
  readonly websiteOrigin: string;
  readonly users: readonly DemoUser[];
  /** File holding the issuer's private signing key (created on first start). */
  readonly keyFile: string;
  /** Single sign-on through a directory: its provider's name, and the flow. */
  readonly federation?: {
    readonly provider: string;
    readonly flow: Federation;
  };
  /** Directory group → Sextant group, applied to a federated user's groups at every token. */
  readonly groupMapping?: GroupMapping;
}

/** The local OIDC issuer: Cognito's stand-in, issuing JWT access tokens with the same claims. */
export interface Issuer {
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Loads the issuer's RSA signing key, creating it on first start (a stable key keeps tokens valid across restarts). */
export function signingKey(file: string): Record<string, unknown> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: `sextant-local-${Date.now()}`,
    use: "sig",
    alg: "RS256",
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

/** Creates the local issuer (oidc-provider) for the demo users. */
export function createIssuer(options: IssuerOptions): Issuer {
  // Read on every lookup: administrators add, disable and promote users while the issuer runs.
  const { users } = options;
  const mapping = options.groupMapping ?? {};
  const byId = {
    get: (sub: string) =>
      users.find((u) => u.sub === sub && u.enabled !== false),
  };

  const provider = new Provider(options.issuerUrl, {
    clients: [
      {
        client_id: WEBSITE_CLIENT_ID,
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [`${options.websiteOrigin}/`],
        post_logout_redirect_uris: [`${options.websiteOrigin}/`],
      },
      {
        client_id: CLI_CLIENT_ID,
        token_endpoint_auth_method: "none",
        grant_types: [DEMO_PASSWORD_GRANT],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [signingKey(options.keyFile) as any] },
    pkce: { required: () => true, methods: ["S256"] },
    // Cognito's parameter for going straight to a provider's sign-in.
    extraParams: ["identity_provider"],
    scopes: ["openid", "email", "profile", "offline_access"],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["cognito:username", "cognito:groups"],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: logoutPage },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => API_RESOURCE_SERVER,
      },
    },
    ttl: {
      AccessToken: 3600,
      IdToken: 3600,
      RefreshToken: 30 * 24 * 3600,
      Session: 12 * 3600,
      Interaction: 600,
      Grant: 30 * 24 * 3600,
    },
    // The website calls the token endpoint from its own origin; no other origin may.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === WEBSITE_CLIENT_ID && origin === options.websiteOrigin,
    issueRefreshToken: async (_ctx, client) =>
      client.grantTypeAllowed("refresh_token"),
    findAccount: async (_ctx, sub) => {
      const user = byId.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: user.email,
          email_verified: true,
          "cognito:username": user.username,
          "cognito:groups": groupsOf(user, mapping),
        }),
      };
    },
    // Cognito access tokens carry these; Sextant's API reads them from the verified token.
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== "AccessToken") return undefined;
      const user = byId.get((token as { accountId: string }).accountId);
      if (!user) return undefined;
      return {
        token_use: "access",
        username: user.username,
        email: user.email,
        "cognito:groups": groupsOf(user, mapping),
      };
    },
    // First-party clients only: grant what they ask for without a consent screen.
    loadExistingGrant: async (ctx) => {
      const grantId =
        (ctx.oidc.result?.consent as { grantId?: string } | undefined)
          ?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope(
        ctx.oidc.params?.scope ? String(ctx.oidc.params.scope) : SCOPES,
      );
      grant.addResourceScope(API_RESOURCE, SCOPES);
      await grant.save();
      return grant;
    },
    renderError: errorPage("Sextant"),
    cookies: { keys: [randomBytes(32).toString("base64url")] },
  });
  provider.proxy = false;

  provider.registerGrantType(
    DEMO_PASSWORD_GRANT,
    async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
      const params = ctx.oidc.params as {
        username?: string;
        password?: string;
      };
      const user = authenticate(
        users,
        String(params.username ?? ""),
        String(params.password ?? ""),
      );
      if (!user)
        throw new errors.CustomOIDCProviderError(
          "invalid_grant",
          "invalid username or password",
        );
      const { AccessToken, Grant } = ctx.oidc.provider;
      // ResourceServer is a runtime class of oidc-provider that its type definitions do not declare.
      const { ResourceServer } = ctx.oidc.provider as unknown as {
        ResourceServer: new (id: string, info: object) => any;
      };
      const grant = new Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: user.sub,
      });
      grant.addResourceScope(API_RESOURCE, SCOPES);
      const grantId = await grant.save();
      const at = new AccessToken({
        accountId: user.sub,
        client: ctx.oidc.client!,
        grantId,
        gty: "demo_password",
        scope: SCOPES,
      });
      at.resourceServer = new ResourceServer(API_RESOURCE, API_RESOURCE_SERVER);
      ctx.body = {
        access_token: await at.save(),
        expires_in: at.expiration,
        token_type: "Bearer",
        scope: SCOPES,
      };
      await next();
    },
    ["username", "password"],
  );

  const callback = provider.callback();
  const { federation } = options;
  const screen = {
    name: "Sextant",
    note: "issuerNote" as const,
    providers: federation ? [federation.provider] : [],
  };
  return {
    handle: (req, res) => {
      if (federation?.flow.handle(req, res)) return;
      const done = req.url?.match(
        /^\/interaction\/([^/?]+)\/federated\/done\?state=([^&]+)$/,
      );
      if (done && federation) {
        const account = federation.flow.accountFor(
          decodeURIComponent(done[1]),
          decodeURIComponent(done[2]),
        );
        (account
          ? provider.interactionFinished(
              req,
              res,
              { login: { accountId: account } },
              { mergeWithLastSubmission: false },
            )
          : Promise.reject(
              new Error(SIGN_IN_MESSAGES[signInLanguage(req)].expired),
            )
        ).catch((e: Error) => {
          res.writeHead(400, { "Content-Type": "text/html; charset=utf-8" });
          const language = signInLanguage(req);
          res.end(
            page(
              language,
              SIGN_IN_MESSAGES[language].error,
              `<p>${escapeHtml(e.message)}</p>`,
            ),
          );
        });
        return;
      }
      if (req.url?.startsWith("/interaction/")) {
        handleInteraction(provider, users, req, res, screen).catch((e) => {
          res.statusCode = 500;
          res.setHeader("Content-Type", "text/html; charset=utf-8");
          const language = signInLanguage(req);
          res.end(
            page(
              language,
              SIGN_IN_MESSAGES[language].error,
              `<p>${escapeHtml(e instanceof Error ? e.message : String(e))}</p>`,
            ),
          );
        });
        return;
      }
      void callback(req, res);
    },
  };
}

async function logoutPage(
  ctx: KoaContextWithOIDC,
  form: string,
): Promise<void> {
  // The form auto-submits with a script in oidc-provider's default; ours asks for one click (no inline script).
  ctx.type = "html";
  const language = signInLanguage(ctx.req);
  const m = SIGN_IN_MESSAGES[language];
  ctx.body = page(
    language,
    m.signOut,
    `${form.replace("</form>", "")}<button form="op.logoutForm" type="submit" name="logout" value="yes">${escapeHtml(m.signOutOf("Sextant"))}</button></form>`,
  );
}

/** oidc-provider's `renderError`: the error's description on one of the issuer's pages. */
export const errorPage =
  (name: string) =>
  async (
    ctx: KoaContextWithOIDC,
    out: { error: string; error_description?: string },
  ): Promise<void> => {
    ctx.type = "html";
    const language = signInLanguage(ctx.req);
    ctx.body = page(
      language,
      `${name}: ${SIGN_IN_MESSAGES[language].error}`,
      `<p>${escapeHtml(String(out.error_description ?? out.error))}</p>`,
    );
  };

/** HTML-escapes text for the issuer's pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A minimal page for the issuer's sign-in screens (no scripts, so it works under a strict CSP). */
export function page(
  language: SignInLanguage,
  title: string,
  body: string,
): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${escapeHtml(title)} · ${escapeHtml(SIGN_IN_MESSAGES[language].suffix)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#16191f}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b0001e}.note{color:#5f6b7a;font-size:.9rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export { CLI_CLIENT_ID, DEMO_PASSWORD_GRANT, WEBSITE_CLIENT_ID };
