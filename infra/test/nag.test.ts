import { describe, expect, it } from "vitest";
import { synthSextant } from "./fixtures";
import { NAG_SUPPRESSIONS } from "../src/nag-suppressions";

describe("PDK Nag (AwsPrototyping)", () => {
  it("finds nothing unsuppressed, error or warning", () => {
    const { app } = synthSextant();
    const findings = app
      .nagResults()
      .flatMap((r) =>
        r.messages.map((m) => `${r.resource}: ${m.messageDescription}`),
      );
    expect(findings).toEqual([]);
  });

  it("finds nothing unsuppressed with a geo allow list (the geo suppression is then not applied)", () => {
    const { app } = synthSextant({ geoRestriction: { allow: ["DE"] } });
    expect(app.nagResults().flatMap((r) => r.messages)).toEqual([]);
  });

  it("has exactly the six suppressions documented in docs/security.md, each with a reason", () => {
    expect(NAG_SUPPRESSIONS).toHaveLength(6);
    for (const s of NAG_SUPPRESSIONS)
      expect(s.reason.length, s.id).toBeGreaterThan(40);
  });
});
