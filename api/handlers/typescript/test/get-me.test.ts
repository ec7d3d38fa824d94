import { describe, expect, it } from "vitest";
import {
  ADMIN_CLAIMS,
  USER_CLAIMS,
  apiGatewayEvent,
  lambdaContext,
  useEmbeddedStore,
} from "./events";
import { handler } from "../src/get-me";

useEmbeddedStore();

describe("GET /me", () => {
  it("describes an administrator from the token's claims", async () => {
    const response = await handler(
      apiGatewayEvent("GET", "/me", ADMIN_CLAIMS),
      lambdaContext,
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      id: ADMIN_CLAIMS.sub,
      username: "ada",
      email: "ada@example.com",
      groups: ["Administrators"],
      isAdministrator: true,
    });
  });

  it("describes a regular user as not an administrator", async () => {
    const response = await handler(
      apiGatewayEvent("GET", "/me", USER_CLAIMS),
      lambdaContext,
    );
    expect(JSON.parse(response.body)).toMatchObject({
      username: "grace",
      groups: [],
      isAdministrator: false,
    });
  });
});
