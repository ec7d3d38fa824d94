import { describe, expect, it } from "vitest";
import { USER_CLAIMS, apiGatewayEvent, lambdaContext } from "./events";

process.env.ALLOWED_ORIGINS = "https://tools.example.com, *";

describe("CORS", () => {
  it("answers an allowed origin with that origin only, anyone else (and '*') with no CORS header", async () => {
    const { handler } = await import("../src/get-me");
    const from = (origin: string) =>
      handler(
        {
          ...apiGatewayEvent("GET", "/me", USER_CLAIMS),
          headers: { Origin: origin },
        },
        lambdaContext,
      );
    const allowed = await from("https://tools.example.com");
    expect(allowed.headers?.["Access-Control-Allow-Origin"]).toBe(
      "https://tools.example.com",
    );
    const other = await from("https://evil.example.com");
    expect(other.headers?.["Access-Control-Allow-Origin"]).toBeUndefined();
    expect(JSON.stringify(other.headers)).not.toContain("*");
  });
});
