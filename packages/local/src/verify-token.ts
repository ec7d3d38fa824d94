import { JwtRsaVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";

/** A failed token check; the adapter answers 401 with this message. */
export class InvalidTokenError extends Error {
  readonly name = "InvalidTokenError";
}

/** Options for {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  readonly issuerUrl: string;
  /** Client ids whose access tokens the API accepts (Cognito's verifier checks `client_id` the same way). */
  readonly clientIds: readonly string[];
}

/** Verifies `Authorization: Bearer` access tokens as API Gateway's Cognito authorizer does. */
export interface TokenVerifier {
  verify(authorization: string | undefined): Promise<JwtPayload>;
}

/**
 * Creates a verifier for the local issuer's access tokens: RS256 signature against the issuer's
 * JWKS, `iss`, `exp`/`nbf`, `token_use: access` and `client_id`. aws-jwt-verify fetches JWKS over
 * https only, so the local (http) issuer's JWKS is fetched here and handed to the verifier.
 */
export async function createTokenVerifier(
  options: TokenVerifierOptions,
): Promise<TokenVerifier> {
  const jwksUri = `${options.issuerUrl}/jwks`;
  const verifier = JwtRsaVerifier.create({
    issuer: options.issuerUrl,
    audience: null,
    jwksUri,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== "access")
        throw new Error("not an access token");
      if (!options.clientIds.includes(String(payload.client_id)))
        throw new Error("token issued to an unknown client");
    },
  });
  const response = await fetch(jwksUri);
  if (!response.ok)
    throw new Error(
      `Could not fetch the issuer's JWKS from ${jwksUri}: HTTP ${response.status}`,
    );
  verifier.cacheJwks((await response.json()) as Jwks);

  return {
    async verify(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
      if (!match)
        throw new InvalidTokenError(
          "Missing access token: send 'Authorization: Bearer <token>'.",
        );
      try {
        return await verifier.verify(match[1]);
      } catch (e) {
        // The reason (expired, bad signature, wrong issuer...) is for logs; callers get one message.
        throw new InvalidTokenError(
          `Invalid access token (${(e as Error).name}): sign in again.`,
        );
      }
    },
  };
}
