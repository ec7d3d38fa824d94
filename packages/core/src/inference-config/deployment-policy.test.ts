import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { DEFAULT_INFERENCE_CONFIG } from "./defaults";
import {
  deploymentPolicyFromEnv,
  enforceDeploymentPolicy,
  type DeploymentPolicy,
} from "./deployment-policy";
import type { InferenceConfig } from "./schema";
import { withOverrides } from "./store";
import { InvalidInputError } from "../errors";
import { modelsFromConfig } from "../providers/models-from-config";

const AWS_POLICY: DeploymentPolicy = {
  maxTokens: 2_000,
  endpointOrigins: ["https://llm.example.com"],
  allowLoopbackHttp: false,
};

const withAnswer = (answer: Partial<InferenceConfig["models"]["answer"]>) =>
  ({
    ...DEFAULT_INFERENCE_CONFIG,
    models: {
      ...DEFAULT_INFERENCE_CONFIG.models,
      answer: { ...DEFAULT_INFERENCE_CONFIG.models.answer, ...answer },
    },
  }) as InferenceConfig;

const fieldsOf = (
  f: () => unknown,
): readonly { path: string; message: string }[] => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as InvalidInputError).fields;
  }
  throw new Error("expected a 400");
};

describe("the deployment's policy on inference configurations", () => {
  it("reads its ceiling, allowed origins and quality gate from the environment", () => {
    expect(
      deploymentPolicyFromEnv({
        SEXTANT_MAX_TOKENS: "1000",
        SEXTANT_MODEL_ENDPOINT_ORIGINS:
          "https://a.example.com, https://b.example.com/",
        SEXTANT_QUALITY_GATE: "retrieval",
      }),
    ).toEqual({
      maxTokens: 1000,
      endpointOrigins: ["https://a.example.com", "https://b.example.com"],
      allowLoopbackHttp: false,
      qualityGate: true,
    });
    expect(deploymentPolicyFromEnv({}).maxTokens).toBe(4096);
    expect(deploymentPolicyFromEnv({}).qualityGate).toBe(false);
  });

  it("caps maxTokens at the deployment's ceiling, naming the field", () => {
    expect(
      fieldsOf(() =>
        enforceDeploymentPolicy(withAnswer({ maxTokens: 2_001 }), AWS_POLICY),
      ),
    ).toEqual([
      {
        path: "models.answer.maxTokens",
        message: "must be at most 2000, this deployment's ceiling",
      },
    ]);
    expect(
      enforceDeploymentPolicy(withAnswer({ maxTokens: 2_000 }), AWS_POLICY),
    ).toBeTruthy();
  });

  it("allows an OpenAI-compatible endpoint only over https at a listed origin (loopback http only locally)", () => {
    const at = (endpoint: string, policy = AWS_POLICY) =>
      fieldsOf(() =>
        enforceDeploymentPolicy(
          withAnswer({ provider: "openai-compatible", modelId: "m", endpoint }),
          policy,
        ),
      )[0]?.message;
    expect(() =>
      enforceDeploymentPolicy(
        withAnswer({
          provider: "openai-compatible",
          modelId: "m",
          endpoint: "https://llm.example.com/v1",
        }),
        AWS_POLICY,
      ),
    ).not.toThrow();
    expect(at("http://llm.example.com/v1")).toMatch(/must use https/);
    expect(at("https://attacker.example.net/v1")).toMatch(
      /origin https:\/\/attacker\.example\.net is not one this deployment allows/,
    );
    expect(at("https://llm.example.com.attacker.net/v1")).toMatch(
      /not one this deployment allows/,
    );
    expect(at("https://user:pw@llm.example.com/v1")).toMatch(/credentials/);
    expect(at("file:///etc/passwd")).toMatch(/https/);
    expect(at("http://127.0.0.1:11434/v1")).toMatch(/https/);
    expect(() =>
      enforceDeploymentPolicy(
        withAnswer({
          provider: "openai-compatible",
          modelId: "m",
          endpoint: "http://127.0.0.1:11434/v1",
        }),
        { ...AWS_POLICY, allowLoopbackHttp: true },
      ),
    ).not.toThrow();
  });

  it("holds a reranker's endpoint to the same origins as the models'", () => {
    const withReranker = (endpoint: string) =>
      ({
        ...DEFAULT_INFERENCE_CONFIG,
        retrieval: {
          ...DEFAULT_INFERENCE_CONFIG.retrieval,
          rerank: {
            provider: "cohere-compatible",
            modelId: "rerank",
            endpoint,
            candidates: 20,
          },
        },
      }) as InferenceConfig;
    expect(
      fieldsOf(() =>
        enforceDeploymentPolicy(
          withReranker("https://attacker.example.net/v1"),
          AWS_POLICY,
        ),
      ),
    ).toEqual([
      {
        path: "retrieval.rerank.endpoint",
        message: expect.stringMatching(/not one this deployment allows/),
      },
    ]);
    expect(() =>
      enforceDeploymentPolicy(
        withReranker("https://llm.example.com/v1"),
        AWS_POLICY,
      ),
    ).not.toThrow();
  });

  it("refuses a per-message override of an endpoint, and overrides beyond the ceiling", () => {
    const config = withAnswer({
      provider: "openai-compatible",
      modelId: "m",
      endpoint: "https://llm.example.com/v1",
    });
    expect(
      fieldsOf(() =>
        withOverrides(
          config,
          { models: { answer: { endpoint: "https://llm.example.com/other" } } },
          AWS_POLICY,
        ),
      ),
    ).toEqual([
      {
        path: "overrides.models.answer.endpoint",
        message:
          "cannot be overridden per message: save it in the configuration",
      },
    ]);
    expect(
      fieldsOf(() =>
        withOverrides(
          config,
          { models: { answer: { maxTokens: 100_000 } } },
          AWS_POLICY,
        ),
      )[0].path,
    ).toBe("overrides.models.answer.maxTokens");
    expect(
      withOverrides(
        config,
        { models: { answer: { temperature: 0.5 } } },
        AWS_POLICY,
      ).models.answer.temperature,
    ).toBe(0.5);
  });

  it("sends the OpenAI-compatible API key to its own origin only (two real servers on loopback)", async () => {
    const seen: Record<string, string | undefined> = {};
    const servers = await Promise.all(
      ["own", "other"].map(
        (name) =>
          new Promise<Server>((resolve) => {
            const server = createServer((req, res) => {
              seen[name] = req.headers.authorization;
              res.writeHead(200, { "Content-Type": "text/event-stream" });
              res.end(
                `data: ${JSON.stringify({ choices: [{ delta: { content: "ok" } }] })}\n\ndata: [DONE]\n\n`,
              );
            }).listen(0, "127.0.0.1", () => resolve(server));
          }),
      ),
    );
    try {
      const [own, other] = servers.map(
        (s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
      );
      const key = { openAiApiKey: "sk-secret", openAiApiKeyOrigin: own };
      const local = { ...AWS_POLICY, allowLoopbackHttp: true };
      for (const endpoint of [`${own}/v1`, `${other}/v1`]) {
        const { models } = modelsFromConfig(
          withAnswer({ provider: "openai-compatible", modelId: "m", endpoint }),
          key,
          local,
        );
        for await (const _ of models.answer!.generate(
          { system: "", user: "hi" },
          {
            temperature: 0,
            maxTokens: 5,
          },
        ));
      }
      expect(seen.own).toBe("Bearer sk-secret");
      expect(seen.other).toBeUndefined();
    } finally {
      for (const s of servers) s.close();
    }
  });
});
