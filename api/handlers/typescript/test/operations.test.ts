import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ADMINISTRATORS_GROUP } from "@sextant/core";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../src/generated/operations";

const operations = Object.values(OPERATIONS);

describe("the operations table generated from the model", () => {
  it("covers at least the skeleton's operations", () => {
    expect(operations.map((o) => o.operationId)).toEqual(
      expect.arrayContaining(["getMe", "getInferenceConfig"]),
    );
  });

  it.each(operations.filter((o) => o.path.startsWith("/admin/")))(
    "$method $path is marked @requiresGroup(Administrators) and declares 403",
    (op) => {
      expect(op.requiredGroup).toBe(ADMINISTRATORS_GROUP);
      expect(op.responses).toContain(403);
    },
  );

  it.each(operations)(
    "$method $path declares 401 for a missing or invalid token",
    (op) => {
      expect(op.responses).toContain(401);
    },
  );

  it.each(operations)(
    "$method $path: its handler module exports what the table says ($module)",
    async (op) => {
      const module = await import(`../src/${op.module}`);
      expect(typeof module.handler).toBe("function");
      expect(typeof module.stream === "function").toBe(op.streaming);
    },
  );

  it("declares the resources each operation uses, and streaming, in the model", () => {
    const facts = Object.fromEntries(
      operations.map((o) => [
        o.operationId,
        { uses: [...o.uses].sort(), streaming: o.streaming },
      ]),
    );
    // Asking and searching read the asker's groups as the directory has them now.
    expect(facts.streamMessage).toEqual({
      uses: ["chat-models", "user-directory.groups"],
      streaming: true,
    });
    expect(facts.postMessage).toEqual({
      uses: ["chat-models", "user-directory.groups"],
      streaming: false,
    });
    expect(facts.searchDocuments.uses).toEqual([
      "embedding-model",
      "rerank-model",
      "user-directory.groups",
    ]);
    expect(facts.createUploadUrl.uses).toEqual(["upload-bucket.put"]);
    expect(facts.getMe).toEqual({ uses: [], streaming: false });
  });
});

describe("the API document an integrator reads (the parsed model, as the Redoc page shows it)", () => {
  const spec = JSON.parse(
    readFileSync(
      join(__dirname, "..", "..", "..", "model", ".api.json"),
      "utf8",
    ),
  );
  const documented = Object.entries(
    spec.paths as Record<string, Record<string, any>>,
  ).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op?.operationId)
      .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );

  it("gives every operation a one-line summary", () => {
    expect(documented.length).toBe(operations.length);
    for (const { name, op } of documented) {
      expect(op.summary, name).toMatch(/^[A-Z][^\n.]{5,80}$/);
    }
  });

  it("names its licence, where the API lives, and how callers authenticate", () => {
    expect(spec.info.license).toEqual({
      name: "Apache-2.0",
      url: "https://www.apache.org/licenses/LICENSE-2.0",
    });
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual([
      "http://localhost:3000/api",
      "{websiteOrigin}/api",
    ]);
    expect(spec.info.description).toMatch(
      /Cognito access token[\s\S]*x-sextant-requires-group/,
    );
  });
});
