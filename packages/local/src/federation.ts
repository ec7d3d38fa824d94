import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname } from "node:path";
import type { GroupMapping } from "@sextant/core";
import { JwtRsaVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import Provider from "oidc-provider";
import type { DemoUser } from "./demo-users.js";
import { handleInteraction } from "./interactions.js";
import { errorPage, escapeHtml, page, signingKey } from "./issuer.js";
import { SIGN_IN_MESSAGES, signInLanguage } from "./sign-in-messages.js";

/**
 * `npm start`'s stand-in for a company directory: "Example Corp", an OpenID Connect provider with
 * its own people and groups, federated into the local issuer as Cognito federates a SAML or OIDC
 * provider. Its name is the provider's name, as in a deployment's `identityProviders`.
 */
export const EXAMPLE_CORP = "ExampleCorp";

/** Where the directory is served, under the local issuer's origin. */
export const EXAMPLE_CORP_PATH = "/example-corp";

/** The local deployment's `groupMapping`: Example Corp's groups → Sextant's. */
export const LOCAL_GROUP_MAPPING: GroupMapping = {
  "example-analysts": "Analysts",
  "example-admins": "Administrators",
};

/** A person in Example Corp's directory. */
export interface DirectoryPerson {
  readonly sub: string;
  readonly username: string;
  readonly password: string;
  readonly email: string;
  /** Their groups in the directory (not Sextant's: the mapping decides those). */
  readonly groups: readonly string[];
}

/**
 * Example Corp's people: `carol` (an analyst) and `dave` (an IT administrator), with passwords
 * generated on first start and kept in `file`, like the demo users'.
 */
export function loadDirectoryPeople(file: string): DirectoryPerson[] {
  if (existsSync(file))
    return JSON.parse(readFileSync(file, "utf8")) as DirectoryPerson[];
  const people = [
    { username: "carol", groups: ["example-analysts", "example-marketing"] },
    { username: "dave", groups: ["example-admins"] },
  ].map((p) => ({
    ...p,
    sub: p.username,
    email: `${p.username}@example.com`,
    password: randomBytes(12).toString("base64url"),
  }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(people, null, 2), { mode: 0o600 });
  return people;
}

/** Options for {@link createFederation}. */
export interface FederationOptions {
  /** The local issuer's URL: the directory is served under it, and calls back to it. */
  readonly issuerUrl: string;
  readonly people: readonly DirectoryPerson[];
  /** The local issuer's users, changed in place when a federated user signs in for the first time. */
  readonly users: DemoUser[];
  /** Writes the users after a change. */
  readonly save: () => void;
  /** The directory's signing key file. */
  readonly keyFile: string;
}

/** The directory and the local issuer's side of signing in through it. */
export interface Federation {
  /** Handles the request when it is the directory's or the federation's; false otherwise. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => boolean;
  /**
   * The account the directory signed in for this sign-in (`state`) and interaction, once: the
   * local issuer finishes its login prompt with it at `/interaction/<uid>/federated/done`, under
   * the interaction's path, where its cookie is sent.
   */
  readonly accountFor: (uid: string, state: string) => string | undefined;
}

interface Pending {
  readonly uid: string;
  readonly verifier: string;
  readonly nonce: string;
  readonly expires: number;
  accountId?: string;
}

const CLIENT_ID = "sextant-local";

/**
 * Serves Example Corp's directory (an `oidc-provider` under {@link EXAMPLE_CORP_PATH}) and signs
 * people in through it: the local sign-in page's "Sign in with ExampleCorp" starts an
 * authorization code flow with PKCE at the directory; its callback exchanges the code, verifies
 * the ID token, and makes or updates the federated user `ExampleCorp_<sub>` with the directory's
 * groups claim stored as Cognito stores an OIDC list (`custom:directory_groups`). Their Sextant
 * groups are mapped from it at every token ({@link groupsOf}).
 */
export function createFederation(options: FederationOptions): Federation {
  const directoryIssuer = `${options.issuerUrl}${EXAMPLE_CORP_PATH}`;
  const redirectUri = `${options.issuerUrl}/federation/${EXAMPLE_CORP}/callback`;
  const clientSecret = randomBytes(24).toString("base64url");
  const person = (sub: string) => options.people.find((p) => p.sub === sub);

  const directory = new Provider(directoryIssuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: [redirectUri],
      },
    ],
    jwks: { keys: [signingKey(options.keyFile) as any] },
    pkce: { required: () => true, methods: ["S256"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      // Like Okta's or Entra's groups claim: a list in the ID token.
      profile: ["groups"],
    },
    // The claims in the ID token itself, as the providers a deployment federates send them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx, interaction) =>
        `${EXAMPLE_CORP_PATH}/interaction/${interaction.uid}`,
    },
    // Its own cookies: it shares the local issuer's host.
    cookies: {
      keys: [randomBytes(32).toString("base64url")],
      names: {
        session: "_example_corp_session",
        interaction: "_example_corp_interaction",
        resume: "_example_corp_resume",
      },
    },
    findAccount: async (_ctx, sub) => {
      const p = person(sub);
      return (
        p && {
          accountId: sub,
          claims: async () => ({
            sub,
            email: p.email,
            email_verified: true,
            groups: [...p.groups],
          }),
        }
      );
    },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    renderError: errorPage("Example Corp"),
  });
  directory.proxy = false;
  const directoryCallback = directory.callback();
  const verifier = JwtRsaVerifier.create({
    issuer: directoryIssuer,
    audience: CLIENT_ID,
    jwksUri: `${directoryIssuer}/jwks`,
  });

  let jwksLoaded = false;
  const pending = new Map<string, Pending>();
  const fail = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
    const language = signInLanguage(res.req);
    res.end(
      page(
        language,
        SIGN_IN_MESSAGES[language].error,
        `<p>${escapeHtml(message)}</p>`,
      ),
    );
  };
  const redirect = (res: ServerResponse, location: string) => {
    res.writeHead(302, { Location: location, "Cache-Control": "no-store" });
    res.end();
  };

  /** `/interaction/<uid>/federated/ExampleCorp`: off to the directory. */
  const start = (uid: string, res: ServerResponse) => {
    for (const [state, p] of pending)
      if (p.expires < Date.now()) pending.delete(state);
    const state = randomBytes(16).toString("base64url");
    const codeVerifier = randomBytes(32).toString("base64url");
    const nonce = randomBytes(16).toString("base64url");
    pending.set(state, {
      uid,
      verifier: codeVerifier,
      nonce,
      expires: Date.now() + 10 * 60_000,
    });
    const authorize = new URL(`${directoryIssuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "openid email profile",
      state,
      nonce,
      code_challenge: createHash("sha256")
        .update(codeVerifier)
        .digest("base64url"),
      code_challenge_method: "S256",
    }).toString();
    redirect(res, authorize.href);
  };

  /** The directory's answer: the code exchanged, the ID token verified, the user made or updated. */
  const callback = async (url: URL, res: ServerResponse) => {
    const state = url.searchParams.get("state") ?? "";
    const flow = pending.get(state);
    if (!flow || flow.expires < Date.now())
      return fail(res, 400, "This sign-in expired: start again.");
    const code = url.searchParams.get("code");
    if (!code)
      return fail(
        res,
        400,
        `${EXAMPLE_CORP} did not sign you in: ${url.searchParams.get("error_description") ?? url.searchParams.get("error") ?? "no code"}`,
      );
    const response = await fetch(`${directoryIssuer}/token`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${clientSecret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        code_verifier: flow.verifier,
      }),
    });
    if (!response.ok)
      return fail(res, 502, `${EXAMPLE_CORP} refused the sign-in.`);
    const { id_token } = (await response.json()) as { id_token: string };
    // aws-jwt-verify fetches a JWKS over https only: the local directory's is fetched here.
    if (!jwksLoaded) {
      const jwks = await fetch(`${directoryIssuer}/jwks`);
      verifier.cacheJwks((await jwks.json()) as Jwks);
      jwksLoaded = true;
    }
    const claims = await verifier.verify(id_token);
    if (claims.nonce !== flow.nonce)
      return fail(res, 400, "This sign-in does not match: start again.");
    const username = `${EXAMPLE_CORP}_${claims.sub}`;
    // As Cognito stores a list claim mapped to a custom attribute: its JSON.
    const directoryGroups = JSON.stringify(
      Array.isArray(claims.groups) ? claims.groups : [],
    );
    const i = options.users.findIndex((u) => u.username === username);
    const user: DemoUser = {
      ...(i >= 0
        ? options.users[i]
        : {
            sub: randomUUID(),
            username,
            // Never used: a federated user signs in through their provider only.
            password: randomBytes(24).toString("base64url"),
            groups: [],
            enabled: true,
          }),
      email: String(claims.email ?? ""),
      provider: EXAMPLE_CORP,
      directoryGroups,
    };
    if (user.enabled === false)
      return fail(res, 403, "This account is disabled: ask an administrator.");
    if (i >= 0) options.users[i] = user;
    else options.users.push(user);
    options.save();
    flow.accountId = user.sub;
    redirect(
      res,
      `/interaction/${encodeURIComponent(flow.uid)}/federated/done?state=${encodeURIComponent(state)}`,
    );
  };

  return {
    accountFor: (uid, state) => {
      const flow = pending.get(state);
      if (!flow?.accountId || flow.uid !== uid || flow.expires < Date.now())
        return undefined;
      pending.delete(state);
      return flow.accountId;
    },
    handle: (req, res) => {
      const url = new URL(req.url ?? "/", options.issuerUrl);
      if (
        url.pathname === EXAMPLE_CORP_PATH ||
        url.pathname.startsWith(`${EXAMPLE_CORP_PATH}/`)
      ) {
        // Mounted under a path: oidc-provider reads its mount point from `originalUrl`.
        const request = req as IncomingMessage & { originalUrl?: string };
        request.originalUrl = req.url;
        req.url = req.url!.slice(EXAMPLE_CORP_PATH.length) || "/";
        if (req.url.startsWith("/interaction/")) {
          handleInteraction(directory, options.people, req, res, {
            name: "Example Corp",
            basePath: EXAMPLE_CORP_PATH,
            note: "directoryNote",
          }).catch((e: Error) => fail(res, 500, e.message));
        } else void directoryCallback(req, res);
        return true;
      }
      if (url.pathname === `/federation/${EXAMPLE_CORP}/callback`) {
        callback(url, res).catch((e: Error) => {
          console.error(
            JSON.stringify({
              level: "ERROR",
              message: `signing in through ${EXAMPLE_CORP} failed`,
              error: e.message,
            }),
          );
          fail(res, 502, `Signing in through ${EXAMPLE_CORP} failed.`);
        });
        return true;
      }
      const federated = url.pathname.match(
        /^\/interaction\/([^/]+)\/federated\/([^/]+)$/,
      );
      if (federated && decodeURIComponent(federated[2]) === EXAMPLE_CORP) {
        start(decodeURIComponent(federated[1]), res);
        return true;
      }
      return false;
    },
  };
}
