import { validateInferenceConfig } from "@sextant/core/store";
import { describe, expect, it } from "vitest";
import {
  ADMIN_CLAIMS,
  apiGatewayEvent,
  lambdaContext,
  useEmbeddedStore,
} from "./events";
import { handler as getConfig } from "../src/get-inference-config";
import { handler as updateConfig } from "../src/update-inference-config";

useEmbeddedStore();

describe("the inference-configuration handlers on an embedded Postgres", () => {
  it("GET returns a valid configuration with its version as ETag", async () => {
    const response = await getConfig(
      apiGatewayEvent("GET", "/admin/inference-config", ADMIN_CLAIMS),
      lambdaContext,
    );
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(response.headers?.ETag).toBe(`"${body.version}"`);
    expect(validateInferenceConfig(body.config)).toMatchObject({ ok: true });
  });

  it("PUT with the current ETag saves the next version; the same ETag again gets 412 and writes nothing", async () => {
    const current = JSON.parse(
      (
        await getConfig(
          apiGatewayEvent("GET", "/admin/inference-config", ADMIN_CLAIMS),
          lambdaContext,
        )
      ).body,
    );
    const changed = { ...current.config, historyTurns: 2 };
    const put = (ifMatch: string) =>
      updateConfig(
        apiGatewayEvent("PUT", "/admin/inference-config", ADMIN_CLAIMS, {
          body: changed,
          headers: { "if-match": ifMatch },
        }),
        lambdaContext,
      );
    const saved = await put(`"${current.version}"`);
    expect(saved.statusCode).toBe(200);
    expect(saved.headers?.ETag).toBe(`"${current.version + 1}"`);
    const stale = await put(`"${current.version}"`);
    expect(stale.statusCode).toBe(412);
    expect(JSON.parse(stale.body)).toMatchObject({
      code: "PreconditionFailed",
    });
    const now = JSON.parse(
      (
        await getConfig(
          apiGatewayEvent("GET", "/admin/inference-config", ADMIN_CLAIMS),
          lambdaContext,
        )
      ).body,
    );
    expect(now.version).toBe(current.version + 1);
  });

  it("answers a body that is not JSON with 400 in the error shape, before any handler runs", async () => {
    const event = {
      ...apiGatewayEvent("PUT", "/admin/inference-config", ADMIN_CLAIMS),
      body: '{"models":',
    };
    const response = await updateConfig(event, lambdaContext);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      code: "BadRequest",
      message: "The request body is not valid JSON.",
      fields: [{ path: "(body)", message: "is not valid JSON" }],
    });
  });
});
