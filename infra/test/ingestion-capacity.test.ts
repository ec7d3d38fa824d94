import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { mayUpdateDocs } from "./update-docs";
import { STAGES } from "../src/config/stages";
import {
  capacity,
  capacityReport,
  type Concurrency,
} from "../src/cost/ingestion-capacity";

const DOC = path.join(__dirname, "..", "..", "docs", "ingestion.md");
const RAISED = {
  bedrockTokensPerMinute: 20_000_000,
  bedrockRequestsPerMinute: 100_000,
};
const SETTINGS: Concurrency[] = [
  { label: "prod defaults", ...STAGES.prod.ingestion },
  {
    label: "maximum (1,000 in flight)",
    maxConcurrency: 100,
    itemsPerBatch: 10,
  },
  {
    label: "prod defaults, quotas raised",
    ...STAGES.prod.ingestion,
    ...RAISED,
  },
  {
    label: "maximum, quotas raised",
    maxConcurrency: 100,
    itemsPerBatch: 10,
    ...RAISED,
  },
];

describe("the ingestion capacity model (docs/ingestion.md)", () => {
  it("finds the Bedrock quota binding at default quotas, whatever the concurrency", () => {
    const [prod, max] = SETTINGS.map((s) => capacity(s));
    expect(prod.binding).toBe("Bedrock quota");
    expect(max.binding).toBe("Bedrock quota");
    expect(max.hours).toBeCloseTo(prod.hours);
  });

  it("with raised quotas, the next limit is a resource of the deployment, and the run is shorter and cheaper", () => {
    const [prod, , raised, raisedMax] = SETTINGS.map((s) => capacity(s));
    expect(raised.binding).toBe("Lambda concurrency");
    expect(raisedMax.binding).toBe("Aurora writes");
    expect(raisedMax.hours).toBeLessThan(prod.hours / 10);
    const total = (r: typeof prod) =>
      Object.values(r.costUsd).reduce((a, b) => a + b, 0);
    expect(total(raisedMax)).toBeLessThan(total(prod));
  });

  it("is what docs/ingestion.md says (regenerate with UPDATE_COST_DOC=1)", () => {
    const doc = readFileSync(DOC, "utf8");
    const start = "<!-- capacity:generated:start -->\n";
    const end = "<!-- capacity:generated:end -->";
    const expected =
      doc.slice(0, doc.indexOf(start) + start.length) +
      `${capacityReport(SETTINGS)}\n` +
      doc.slice(doc.indexOf(end));
    if (mayUpdateDocs()) writeFileSync(DOC, expected);
    expect(doc).toBe(expected);
  });
});
