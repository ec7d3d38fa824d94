/** What the website learns at start-up from `/runtime-config.json` (written by the CDK app, or `npm start`). */
export interface RuntimeConfig {
  /** The API's base URL. */
  readonly apiUrl: string;
  /** The OIDC issuer (Cognito user pool, or the local issuer). */
  readonly issuerUrl: string;
  /** The website's OIDC client id. */
  readonly clientId: string;
  /** Sign-out URL for issuers without an `end_session_endpoint` (Cognito's hosted UI `/logout`). */
  readonly signOutUrl?: string;
  /** The identity provider everyone signs in with (context `signInWith`): the sign-in goes straight there. */
  readonly signInWith?: string;
}

/** Loads and checks the runtime configuration. */
export async function loadRuntimeConfig(
  fetchImpl: typeof fetch = fetch,
): Promise<RuntimeConfig> {
  const response = await fetchImpl("/runtime-config.json", {
    cache: "no-store",
  });
  if (!response.ok)
    throw new Error(`runtime-config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<RuntimeConfig>;
  for (const key of ["apiUrl", "issuerUrl", "clientId"] as const) {
    if (typeof config[key] !== "string" || !config[key])
      throw new Error(`runtime-config.json is missing '${key}'`);
  }
  return config as RuntimeConfig;
}
