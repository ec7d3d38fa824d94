/** The local issuer's clients and grants, which its own clients (the CLI, tests) name too. */

/** The website's public OIDC client (authorization code + PKCE). */
export const WEBSITE_CLIENT_ID = "sextant-website";
/** The CLI's public client, limited to the demo password grant. */
export const CLI_CLIENT_ID = "sextant-cli";
/**
 * A resource-owner-password-style grant for the demo users only, so scripts and tests can get a
 * real token without a browser (Cognito's equivalent is ADMIN_USER_PASSWORD_AUTH).
 */
export const DEMO_PASSWORD_GRANT =
  "urn:sextant:params:oauth:grant-type:demo-password";
