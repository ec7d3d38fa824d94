import { CLI_CLIENT_ID, DEMO_PASSWORD_GRANT } from "./client-ids.js";

/** Gets a real access token for a demo user from the local issuer's token endpoint. */
export async function requestDemoToken(
  issuerUrl: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await fetch(`${issuerUrl}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: DEMO_PASSWORD_GRANT,
      client_id: CLI_CLIENT_ID,
      username,
      password,
    }),
  });
  const body = (await response.json()) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.access_token) {
    throw new Error(
      `The local issuer refused a token for '${username}': ${body.error_description ?? body.error ?? response.status}`,
    );
  }
  return body.access_token;
}
