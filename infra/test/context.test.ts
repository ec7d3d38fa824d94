import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readContext } from "../src/config/context";

const read = (values: Record<string, unknown>) =>
  readContext((key) => values[key]);

describe("CDK context keys", () => {
  it("reads every key", () => {
    expect(
      read({
        stage: "prod",
        domainName: "chat.example.com",
        certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/x",
        geoAllow: "US, CA",
        devTools: "true",
        allowedOrigins: "https://tools.example.com",
        ingestMaxConcurrency: "40",
        ingestItemsPerBatch: 5,
        ingestToleratedFailurePercentage: "0",
        streamingProvisionedConcurrency: '{"prod":2,"staging":0}',
      }),
    ).toEqual({
      stage: "prod",
      domain: {
        domainName: "chat.example.com",
        certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/x",
      },
      geoRestriction: { allow: ["US", "CA"] },
      devTools: true,
      natGateway: false,
      allowedOrigins: ["https://tools.example.com"],
      ingestion: {
        maxConcurrency: 40,
        itemsPerBatch: 5,
        toleratedFailurePercentage: 0,
      },
      streamingProvisionedConcurrency: { prod: 2, staging: 0 },
    });
    // One number for every stage, as `-c streamingProvisionedConcurrency=1` or cdk.json gives it.
    for (const value of ["1", 1])
      expect(
        read({ streamingProvisionedConcurrency: value })
          .streamingProvisionedConcurrency,
      ).toEqual({ dev: 1, staging: 1, prod: 1 });
    expect(read({})).toEqual({
      stage: undefined,
      devTools: false,
      natGateway: false,
    });
  });

  it.each([
    [
      { domainName: "chat.example.com" },
      /'domainName' and 'certificateArn' go together/,
    ],
    [{ geoAllow: "US", geoDeny: "CN" }, /set one, not both/],
    [{ geoDeny: "usa" }, /'usa' is not an ISO 3166-1/],
    [{ devTools: "yes" }, /'devTools' is 'yes'/],
    [
      { pipeline: "true", repository: "example/sextant" },
      /needs 'codeConnectionArn' and 'repository'/,
    ],
    [{ allowedOrigins: "*" }, /'\*' is never allowed/],
    [{ ingestMaxConcurrency: "0" }, /'ingestMaxConcurrency' is '0'/],
    [{ ingestItemsPerBatch: "ten" }, /'ingestItemsPerBatch' is 'ten'/],
    [
      { ingestToleratedFailurePercentage: "101" },
      /'ingestToleratedFailurePercentage' is '101': use a whole number from 0 to 100/,
    ],
    [{ allowedOrigins: "http://insecure.example.com" }, /not an https origin/],
    [
      { streamingProvisionedConcurrency: '{"production":2}' },
      /'streamingProvisionedConcurrency': 'production' is not a stage/,
    ],
    [
      { streamingProvisionedConcurrency: "two" },
      /'streamingProvisionedConcurrency' for 'dev' is 'two'/,
    ],
    [
      { streamingProvisionedConcurrency: '{"prod":1.5}' },
      /for 'prod' is '1.5': use a whole number from 0 to 1000/,
    ],
  ])("rejects %j, naming the key", (values, message) => {
    expect(() => read(values)).toThrow(message);
  });
});

describe("docs/deploy.md", () => {
  it("documents every context key the app reads", () => {
    const asked = new Set<string>();
    // Every branch on: the pipeline keys are read only when `pipeline` is true.
    readContext((key) => {
      asked.add(key);
      return (
        {
          pipeline: "true",
          codeConnectionArn:
            "arn:aws:codeconnections:eu-west-1:111111111111:connection/x",
          repository: "org/sextant",
        } as Record<string, string>
      )[key];
    });
    const doc = readFileSync(
      join(__dirname, "..", "..", "docs", "deploy.md"),
      "utf8",
    );
    expect([...asked].filter((key) => !doc.includes(`\`${key}\``))).toEqual([]);
    expect(asked.size).toBeGreaterThanOrEqual(12);
  });
});
