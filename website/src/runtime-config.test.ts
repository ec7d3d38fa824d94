import { describe, expect, it } from "vitest";
import { loadRuntimeConfig } from "./runtime-config";

const respond = (body: unknown, status = 200) =>
  (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe("loadRuntimeConfig", () => {
  it("returns a complete configuration", async () => {
    const config = {
      apiUrl: "https://api.example.com",
      issuerUrl: "https://issuer.example.com",
      clientId: "abc",
    };
    await expect(loadRuntimeConfig(respond(config))).resolves.toEqual(config);
  });

  it("names the missing key", async () => {
    await expect(
      loadRuntimeConfig(respond({ apiUrl: "x", clientId: "abc" })),
    ).rejects.toThrow("'issuerUrl'");
  });

  it("reports an HTTP failure", async () => {
    await expect(loadRuntimeConfig(respond({}, 404))).rejects.toThrow(
      "HTTP 404",
    );
  });
});
