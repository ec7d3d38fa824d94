import { readdirSync } from "node:fs";
import { join } from "node:path";
import { getInferenceConfigHandler } from "@sextant/api-typescript-runtime";
import { describe, expect, it, vi } from "vitest";
import {
  ADMIN_CLAIMS,
  USER_CLAIMS,
  apiGatewayEvent,
  lambdaContext,
  useEmbeddedStore,
} from "./events";
import { OPERATIONS } from "../src/generated/operations";
import { INTERCEPTORS } from "../src/interceptors";

useEmbeddedStore();

const srcDir = join(__dirname, "..", "src");
const operations = Object.values(OPERATIONS);

describe("every Lambda handler enforces the model's access policy", () => {
  it("has one handler module per operation", () => {
    const modules = readdirSync(srcDir).filter(
      (f) => f.endsWith(".ts") && f !== "index.ts",
    );
    expect(modules.sort()).toEqual(
      operations.map((o) => `${o.module}.ts`).sort(),
    );
  });

  it.each(operations)(
    "$method $path answers 401 without verified claims",
    async (op) => {
      const { handler } = await import(`../src/${op.module}`);
      const response = await handler(
        apiGatewayEvent(op.method, op.path),
        lambdaContext,
      );
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body).message).toMatch(/access token/);
    },
  );

  it.each(operations.filter((o) => o.requiredGroup))(
    "$method $path answers 403 to a signed-in non-member",
    async (op) => {
      const { handler } = await import(`../src/${op.module}`);
      const response = await handler(
        apiGatewayEvent(op.method, op.path, USER_CLAIMS),
        lambdaContext,
      );
      expect(response.statusCode).toBe(403);
      expect(JSON.parse(response.body).message).toContain(
        `'${op.requiredGroup}'`,
      );
    },
  );
});

describe("the authorize interceptor", () => {
  it("never runs the handler body for a non-member", async () => {
    const body = vi.fn();
    const handler = getInferenceConfigHandler(...INTERCEPTORS, body);
    const response = await handler(
      apiGatewayEvent("GET", "/admin/inference-config", USER_CLAIMS),
      lambdaContext,
    );
    expect(response.statusCode).toBe(403);
    expect(body).not.toHaveBeenCalled();
  });

  it("runs the handler body for a member", async () => {
    const body = vi.fn(async () => ({
      statusCode: 200 as const,
      body: { version: 1, config: {} as any },
    }));
    const handler = getInferenceConfigHandler(...INTERCEPTORS, body);
    const response = await handler(
      apiGatewayEvent("GET", "/admin/inference-config", ADMIN_CLAIMS),
      lambdaContext,
    );
    expect(response.statusCode).toBe(200);
    expect(body).toHaveBeenCalledOnce();
  });

  it("maps an unexpected error to 500 without leaking its message or stack", async () => {
    const handler = getInferenceConfigHandler(...INTERCEPTORS, async () => {
      throw new Error("secret detail at /var/task/index.js:42");
    });
    const response = await handler(
      apiGatewayEvent("GET", "/admin/inference-config", ADMIN_CLAIMS),
      lambdaContext,
    );
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret detail");
  });
});
