import { createHash, randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { connect, createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type KeyLike,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBSITE_DIST } from "./paths.js";
import {
  PortInUseError,
  startEphemeralStack,
  startLocalStack,
} from "./stack.js";
import { requestDemoToken } from "./token.js";

let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let adminToken: string;
let userToken: string;

const credentials = (name: string) =>
  stack.users.find((u) => u.username === name)!;
const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      resolve(true);
      socket.destroy();
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      resolve(false);
      socket.destroy();
    });
  });
const api = (path: string, token?: string) =>
  fetch(`${stack.apiUrl}${path}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });

beforeAll(async () => {
  stack = await startEphemeralStack(WEBSITE_DIST);
  adminToken = await requestDemoToken(
    stack.issuerUrl,
    "admin",
    credentials("admin").password,
  );
  userToken = await requestDemoToken(
    stack.issuerUrl,
    "user",
    credentials("user").password,
  );
});

afterAll(async () => {
  await stack?.close();
});

describe("the local issuer", () => {
  it("issues Cognito-shaped access tokens: token_use, client_id, username and cognito:groups", () => {
    const claims = JSON.parse(
      Buffer.from(adminToken.split(".")[1], "base64url").toString(),
    );
    expect(claims).toMatchObject({
      iss: stack.issuerUrl,
      token_use: "access",
      client_id: "sextant-cli",
      username: "admin",
      "cognito:groups": ["Administrators"],
    });
  });

  it("refuses a wrong password", async () => {
    await expect(
      requestDemoToken(stack.issuerUrl, "admin", "not-the-password"),
    ).rejects.toThrow(/invalid username or password/);
  });

  it("signs in through authorization code + PKCE, as the website does", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const redirectUri = `${stack.websiteUrl}/`;
    const cookies = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, {
        ...init,
        redirect: "manual",
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        },
      });
      for (const c of response.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const [k, v] = pair.split("=");
        cookies.set(k, v);
      }
      return response;
    };
    const authorize = new URL(`${stack.issuerUrl}/auth`);
    authorize.search = new URLSearchParams({
      client_id: "sextant-website",
      response_type: "code",
      scope: "openid email profile",
      redirect_uri: redirectUri,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      state: "s1",
    }).toString();

    let response = await go(authorize.href);
    const loginPage = new URL(
      response.headers.get("location")!,
      stack.issuerUrl,
    ).href;
    expect(await (await go(loginPage)).text()).toContain("Sign in to Sextant");
    // The same page in the browser's language.
    const german = await (
      await go(loginPage, {
        headers: { "accept-language": "de-DE,de;q=0.9,en;q=0.5" },
      })
    ).text();
    expect(german).toContain('<html lang="de">');
    expect(german).toContain("Bei Sextant anmelden");
    expect(german).toContain('<label for="password">Passwort</label>');
    response = await go(`${loginPage}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        username: "user",
        password: credentials("user").password,
      }).toString(),
    });
    // Follow the issuer's redirects until it sends the browser back to the website with a code.
    let location = response.headers.get("location")!;
    while (!location.startsWith(redirectUri)) {
      response = await go(new URL(location, stack.issuerUrl).href);
      location = response.headers.get("location")!;
    }
    const callback = new URL(location);
    expect(callback.searchParams.get("state")).toBe("s1");

    const token = await fetch(`${stack.issuerUrl}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: callback.searchParams.get("code")!,
        redirect_uri: redirectUri,
        client_id: "sextant-website",
        code_verifier: verifier,
      }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const me = await api("/me", access_token);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      username: "user",
      isAdministrator: false,
    });
  });
});

describe("the local issuer's safeguards", () => {
  it("listens on loopback only: the machine's other addresses refuse the connection", async () => {
    const ports = [stack.issuerUrl, stack.websiteUrl].map((u) =>
      Number(new URL(u).port),
    );
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === "IPv4")
      .map((i) => i!.address);
    for (const address of external)
      for (const port of ports)
        expect(await connects(address, port), `${address}:${port}`).toBe(false);
    for (const port of ports)
      expect(await connects("127.0.0.1", port)).toBe(true);
  });

  it("keeps its signing key and the demo users' passwords in files only their owner can read (0600)", () => {
    for (const name of ["issuer-key.json", "users.json"]) {
      const mode = statSync(join(stack.dataDir, name)).mode.toString(8);
      expect(mode.slice(-3), name).toBe("600");
    }
  });

  it("grants no unknown client and no foreign redirect: an error page, never a redirect or a sign-in form", async () => {
    const authorize = (client: string, redirect: string) => {
      const url = new URL(`${stack.issuerUrl}/auth`);
      url.search = new URLSearchParams({
        client_id: client,
        response_type: "code",
        scope: "openid",
        redirect_uri: redirect,
        code_challenge: "x".repeat(43),
        code_challenge_method: "S256",
      }).toString();
      return fetch(url, { redirect: "manual" });
    };
    for (const [client, redirect] of [
      ["someone-else", "https://attacker.example/"],
      ["sextant-website", "https://attacker.example/"],
      ["sextant-website", `${stack.websiteUrl}.attacker.example/`],
    ]) {
      const response = await authorize(client, redirect);
      expect(response.status, `${client} → ${redirect}`).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      const page = await response.text();
      expect(page).toContain("Sign-in error");
      expect(page).not.toContain("<form");
    }
    // The website itself still gets its sign-in page.
    const own = await authorize("sextant-website", `${stack.websiteUrl}/`);
    expect(own.status).toBe(303);
  });
});

describe("the API through the node:http adapter", () => {
  it("GET /me describes the administrator", async () => {
    const response = await api("/me", adminToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: credentials("admin").sub,
      username: "admin",
      email: "admin@example.com",
      groups: ["Administrators"],
      isAdministrator: true,
    });
  });

  it("GET /me describes a regular user", async () => {
    expect(await (await api("/me", userToken)).json()).toMatchObject({
      username: "user",
      groups: [],
      isAdministrator: false,
    });
  });

  it("GET /admin/inference-config is 200 with an ETag for the administrator", async () => {
    const response = await api("/admin/inference-config", adminToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"0"');
    const body = (await response.json()) as {
      config: { retrieval: { k: number } };
    };
    expect(body.config.retrieval.k).toBeGreaterThan(0);
  });

  it("GET /admin/inference-config is 403 for a regular user, with a clear message", async () => {
    const response = await api("/admin/inference-config", userToken);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toBe(
      "Only members of the 'Administrators' group may GET /admin/inference-config.",
    );
  });

  describe("rejects with 401", () => {
    const sign = async (
      key: KeyLike | Uint8Array,
      header: object,
      claims: object,
    ) =>
      new SignJWT({
        token_use: "access",
        client_id: "sextant-cli",
        username: "admin",
        "cognito:groups": ["Administrators"],
        ...claims,
      })
        .setProtectedHeader(header as any)
        .sign(key);
    const issuerKey = async () => {
      const jwk = JSON.parse(
        readFileSync(join(stack.dataDir, "issuer-key.json"), "utf8"),
      );
      return {
        key: (await importJWK(jwk, "RS256")) as KeyLike,
        kid: jwk.kid as string,
      };
    };
    const now = () => Math.floor(Date.now() / 1000);

    it("no token", async () => {
      const response = await api("/me");
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain(
        "invalid_token",
      );
    });

    it("a tampered token (payload changed to add a group)", async () => {
      const [h, p, s] = userToken.split(".");
      const claims = JSON.parse(Buffer.from(p, "base64url").toString());
      claims["cognito:groups"] = ["Administrators"];
      const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
      expect((await api("/admin/inference-config", forged)).status).toBe(401);
    });

    // Signed with the issuer's own key, so only the claim under test is wrong.
    it.each([
      ["an expired token", { iat: -7200, exp: -3600 }],
      ["a token not yet valid", { nbf: 3600, exp: 7200 }],
      ["an ID token instead of an access token", { exp: 600, token_use: "id" }],
      [
        "a token issued to an unknown client",
        { exp: 600, client_id: "someone-else" },
      ],
    ] as const)("%s, signed by the issuer's own key", async (_name, claims) => {
      const { key, kid } = await issuerKey();
      const relative = Object.fromEntries(
        Object.entries(claims).map(([k, v]) => [
          k,
          typeof v === "number" ? now() + v : v,
        ]),
      );
      const token = await sign(
        key,
        { alg: "RS256", kid },
        { iss: stack.issuerUrl, sub: "x", ...relative },
      );
      expect((await api("/me", token)).status).toBe(401);
    });

    it("a token from a foreign issuer with its own key", async () => {
      const { privateKey, publicKey } = await generateKeyPair("RS256");
      const kid = `foreign-${(await exportJWK(publicKey)).n!.slice(0, 8)}`;
      const token = await sign(
        privateKey,
        { alg: "RS256", kid },
        { iss: "https://evil.example.com", sub: "x", exp: now() + 600 },
      );
      expect((await api("/me", token)).status).toBe(401);
    });

    it("a token with our issuer claimed but signed by another key under our kid", async () => {
      const { kid } = await issuerKey();
      const { privateKey } = await generateKeyPair("RS256");
      const token = await sign(
        privateKey,
        { alg: "RS256", kid },
        { iss: stack.issuerUrl, sub: "x", exp: now() + 600 },
      );
      expect((await api("/admin/inference-config", token)).status).toBe(401);
    });

    it("a real token with administrator groups forged into its header", async () => {
      const [h, p, sig] = userToken.split(".");
      const header = JSON.parse(Buffer.from(h, "base64url").toString());
      const forged = `${Buffer.from(JSON.stringify({ ...header, "cognito:groups": ["Administrators"] })).toString("base64url")}.${p}.${sig}`;
      expect((await api("/admin/inference-config", forged)).status).toBe(401);
      expect((await api("/me", forged)).status).toBe(401);
    });

    it("an unsigned token (alg: none)", async () => {
      const enc = (o: object) =>
        Buffer.from(JSON.stringify(o)).toString("base64url");
      const token = `${enc({ alg: "none" })}.${enc({ iss: stack.issuerUrl, sub: "x", exp: now() + 600, token_use: "access", client_id: "sextant-cli", "cognito:groups": ["Administrators"] })}.`;
      expect((await api("/admin/inference-config", token)).status).toBe(401);
    });
  });

  it("answers 404 for an unknown path and 405 naming the allowed method", async () => {
    expect((await api("/nope", adminToken)).status).toBe(404);
    const response = await fetch(`${stack.apiUrl}/me`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});

describe("the website", () => {
  it("serves runtime-config.json pointing at the local API and issuer, under a strict CSP", async () => {
    const response = await fetch(`${stack.websiteUrl}/runtime-config.json`);
    expect(await response.json()).toEqual({
      apiUrl: stack.apiUrl,
      issuerUrl: stack.issuerUrl,
      clientId: "sextant-website",
    });
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${stack.issuerUrl}`);
    expect(csp).not.toContain("*");
  });

  it("answers 400 to a malformed URL, and goes on serving", async () => {
    const malformed = await fetch(`${stack.websiteUrl}/%`);
    expect(malformed.status).toBe(400);
    const session = await api("/sessions/%", userToken);
    expect(session.status).toBe(400);
    expect(await session.json()).toMatchObject({ code: "BadRequest" });
    const after = await fetch(`${stack.websiteUrl}/runtime-config.json`);
    expect(after.status).toBe(200);
  });

  it("never serves files outside the website directory", async () => {
    const response = await fetch(`${stack.websiteUrl}/..%2f..%2fpackage.json`);
    // The SPA's fallback, the website's own index page: never the file outside.
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).not.toContain('"name"');
  });
});

describe("startLocalStack", () => {
  it("names the port and the variable to change when the port is busy", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const busy = (blocker.address() as { port: number }).port;
    try {
      const error = await startLocalStack({
        port: busy,
        issuerPort: 0,
        dataDir: stack.dataDir,
        websiteDir: WEBSITE_DIST,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error.message).toContain(`Port ${busy}`);
      expect(error.message).toContain("SEXTANT_PORT");
    } finally {
      blocker.close();
    }
  });

  it("keeps every acknowledged write across a restart (Ctrl-C, then npm start)", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dataDir = join(
      mkdtempSync(join(tmpdir(), "sextant-restart-")),
      ".sextant",
    );
    const options = {
      port: 0,
      issuerPort: 0,
      dataDir,
      websiteDir: WEBSITE_DIST,
    };
    try {
      const first = await startLocalStack(options);
      const token = await requestDemoToken(
        first.issuerUrl,
        "user",
        first.users.find((u) => u.username === "user")!.password,
      );
      const headers = {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
      };
      const session = (await (
        await fetch(`${first.apiUrl}/sessions`, {
          method: "POST",
          headers,
          body: '{"title":"Kept"}',
        })
      ).json()) as { id: string };
      const asked = await fetch(
        `${first.apiUrl}/sessions/${session.id}/messages`,
        {
          method: "POST",
          headers,
          body: JSON.stringify({ question: "Is anything here?" }),
        },
      );
      expect(asked.status).toBe(200);
      await first.close();

      const second = await startLocalStack(options);
      try {
        // Another port means another issuer URL, so a new token; the user (and their id) is the same.
        const again = await requestDemoToken(
          second.issuerUrl,
          "user",
          second.users.find((u) => u.username === "user")!.password,
        );
        const messages = (await (
          await fetch(`${second.apiUrl}/sessions/${session.id}/messages`, {
            headers: { Authorization: `Bearer ${again}` },
          })
        ).json()) as { items: { role: string }[] };
        expect(messages.items.map((m) => m.role)).toEqual([
          "user",
          "assistant",
        ]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(join(dataDir, ".."), { recursive: true, force: true });
    }
  });
});
