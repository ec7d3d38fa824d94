import { readFileSync } from "node:fs";
import { groupMappingProblems, type GroupMapping } from "@sextant/core";

/** A SAML 2.0 identity provider: its metadata document, by URL or as a file (Google Workspace offers only a download). */
export interface SamlProviderConfig {
  readonly type: "saml";
  readonly name: string;
  readonly metadataUrl?: string;
  /** The metadata XML itself, read from the file `metadataFile` names (relative to `infra/`) at synth. */
  readonly metadata?: string;
  /** The SAML attribute holding the user's groups, e.g. `http://schemas.microsoft.com/ws/2008/06/identity/claims/groups`. */
  readonly groupsClaim: string;
  /** The SAML attribute holding the e-mail address. @default `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress` */
  readonly emailClaim?: string;
}

/** An OpenID Connect identity provider: its issuer, and a client whose secret is in Secrets Manager. */
export interface OidcProviderConfig {
  readonly type: "oidc";
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  /** The secret holding the client secret (the whole secret string): only its ARN is in the template. */
  readonly clientSecretArn: string;
  /** The ID-token (or userInfo) claim holding the user's groups, e.g. `groups`. */
  readonly groupsClaim: string;
  /** @default `email` */
  readonly emailClaim?: string;
}

export type IdentityProviderConfig = SamlProviderConfig | OidcProviderConfig;

/** Single sign-on: the providers, and how their groups become Sextant's. */
export interface Federation {
  readonly identityProviders: readonly IdentityProviderConfig[];
  readonly groupMapping: GroupMapping;
  /** The provider the website sends everyone to, skipping the choice (`identity_provider`). */
  readonly signInWith?: string;
}

/** An https URL, query allowed (Entra's metadata URL has `?appid=`), nothing else. */
const HTTPS = {
  test: (value: string) => {
    try {
      return new URL(value).protocol === "https:" && !/\s/.test(value);
    } catch {
      return false;
    }
  },
};
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
/** Cognito's provider names: 3 to 32 characters; no `_`, which separates it from the user's id in a federated username. */
const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9 .-]{2,31}$/;
const RESERVED_NAMES = [
  "COGNITO",
  "Google",
  "Facebook",
  "LoginWithAmazon",
  "SignInWithApple",
];

const parseJson = (key: string, value: unknown): unknown => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new Error(`Context '${key}' is not JSON: ${(e as Error).message}`);
  }
};

/**
 * Reads `identityProviders` (a JSON list of SAML or OIDC providers), `groupMapping` (a JSON
 * object, directory group → Sextant group) and `signInWith` (a provider's name). A malformed
 * entry fails synth naming the key, the entry and the field.
 */
export function readFederation(
  get: (key: string) => unknown,
): Federation | undefined {
  const providers = get("identityProviders");
  const mapping = get("groupMapping");
  const signInWith = get("signInWith");
  if (providers === undefined) {
    if (mapping !== undefined || signInWith !== undefined)
      throw new Error(
        "Context 'groupMapping' and 'signInWith' need 'identityProviders': the providers whose groups they map.",
      );
    return undefined;
  }
  const list = parseJson("identityProviders", providers);
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(
      "Context 'identityProviders' must be a non-empty JSON list of providers.",
    );
  const identityProviders = list.map((entry, i) => checkProvider(entry, i));
  const names = identityProviders.map((p) => p.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i)
      throw new Error(
        `Context 'identityProviders'[${i}].name: '${name}' names another provider too.`,
      );
  });
  const groupMapping = parseJson("groupMapping", mapping ?? {});
  const problems = groupMappingProblems(groupMapping);
  if (problems.length)
    throw new Error(
      `Context 'groupMapping': ${problems.map((p) => (p.path ? `${p.path} ${p.message}` : p.message)).join("; ")}.`,
    );
  if (signInWith !== undefined && !names.includes(String(signInWith)))
    throw new Error(
      `Context 'signInWith' is '${String(signInWith)}': use one of the identityProviders' names (${names.join(", ")}).`,
    );
  return {
    identityProviders,
    groupMapping: groupMapping as GroupMapping,
    ...(signInWith === undefined ? {} : { signInWith: String(signInWith) }),
  };
}

function checkProvider(entry: unknown, i: number): IdentityProviderConfig {
  const at = (field: string) => `Context 'identityProviders'[${i}].${field}`;
  if (typeof entry !== "object" || entry === null)
    throw new Error(`Context 'identityProviders'[${i}] must be an object.`);
  const e = entry as Record<string, unknown>;
  const text = (
    field: string,
    test: { test(value: string): boolean },
    what: string,
  ): string => {
    const value = e[field];
    if (typeof value !== "string" || !test.test(value))
      throw new Error(
        `${at(field)} is ${value === undefined ? "missing" : `'${String(value)}'`}: ${what}.`,
      );
    return value;
  };
  const common = {
    name: text(
      "name",
      PROVIDER_NAME,
      "3 to 32 letters, digits, spaces, '.' or '-' (no '_'), starting with a letter or digit",
    ),
    groupsClaim: text(
      "groupsClaim",
      /^\S{1,512}$/,
      "the attribute or claim that carries the user's groups",
    ),
  };
  if (RESERVED_NAMES.includes(common.name))
    throw new Error(`${at("name")} '${common.name}' is reserved by Cognito.`);
  const emailClaim =
    e.emailClaim === undefined
      ? {}
      : { emailClaim: text("emailClaim", /^\S{1,512}$/, "an attribute name") };
  const known = (fields: string[]) => {
    for (const field of Object.keys(e))
      if (!fields.includes(field))
        throw new Error(
          `${at(field)} is not a field of a ${String(e.type)} provider (${fields.join(", ")}).`,
        );
  };
  if (e.type === "saml") {
    known([
      "type",
      "name",
      "metadataUrl",
      "metadataFile",
      "groupsClaim",
      "emailClaim",
    ]);
    if ((e.metadataUrl === undefined) === (e.metadataFile === undefined))
      throw new Error(
        `${at("metadataUrl")}: give the provider's SAML metadata as metadataUrl (https) or metadataFile (a path), one of the two.`,
      );
    if (e.metadataFile !== undefined) {
      const file = text("metadataFile", /^\S.*$/, "a path to the metadata XML");
      let metadata: string;
      try {
        metadata = readFileSync(file, "utf8");
      } catch {
        throw new Error(`${at("metadataFile")}: cannot read '${file}'.`);
      }
      if (!/<(\w+:)?EntityDescriptor[\s>]/.test(metadata))
        throw new Error(
          `${at("metadataFile")}: '${file}' is not SAML metadata (no EntityDescriptor).`,
        );
      return { type: "saml", ...common, ...emailClaim, metadata };
    }
    return {
      type: "saml",
      ...common,
      ...emailClaim,
      metadataUrl: text(
        "metadataUrl",
        HTTPS,
        "the https URL of the provider's SAML metadata",
      ),
    };
  }
  if (e.type === "oidc") {
    known([
      "type",
      "name",
      "issuer",
      "clientId",
      "clientSecretArn",
      "groupsClaim",
      "emailClaim",
    ]);
    return {
      type: "oidc",
      ...common,
      ...emailClaim,
      issuer: text("issuer", HTTPS, "the provider's https issuer URL"),
      clientId: text(
        "clientId",
        /^\S{1,256}$/,
        "the client id Sextant has at the provider",
      ),
      clientSecretArn: text(
        "clientSecretArn",
        SECRET_ARN,
        "the ARN of the Secrets Manager secret holding the client secret (never the secret itself)",
      ),
    };
  }
  throw new Error(
    `${at("type")} is ${e.type === undefined ? "missing" : `'${String(e.type)}'`}: use 'saml' or 'oidc'.`,
  );
}
