import { readFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { CERTIFICATE_ARN, synthSextant } from "./fixtures";
import { STAGES } from "../src/config/stages";
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

  it("finds nothing unsuppressed in production with a domain, a certificate, a geo list and dev tools: TLS and geo fixed, not suppressed", () => {
    const { app, template } = synthSextant({
      stage: STAGES.prod,
      domain: {
        domainName: "chat.example.com",
        certificateArn: CERTIFICATE_ARN,
      },
      geoRestriction: { allow: ["US", "CA"] },
      devTools: true,
    });
    expect(app.nagResults().flatMap((r) => r.messages)).toEqual([]);
    // Suppressions are recorded in each resource's metadata: these two must not be there.
    const suppressed = JSON.stringify(template.toJSON());
    expect(suppressed).not.toContain(
      "CloudFrontDistributionHttpsViewerNoOutdatedSSL",
    );
    expect(suppressed).not.toContain("CloudFrontDistributionGeoRestrictions");
  });

  it("has exactly the eight suppressions documented in docs/security.md, each with a reason", () => {
    expect(NAG_SUPPRESSIONS).toHaveLength(8);
    for (const s of NAG_SUPPRESSIONS)
      expect(s.reason.length, s.id).toBeGreaterThan(40);
    // The doc's table lists each suppressed rule and states the count.
    const doc = readFileSync(
      join(__dirname, "..", "..", "docs", "security.md"),
      "utf8",
    );
    const table = doc.slice(doc.indexOf("## Nag suppressions"));
    expect(table).toContain(`counts them (${NAG_SUPPRESSIONS.length})`);
    for (const s of NAG_SUPPRESSIONS)
      expect(table, s.id).toContain(
        `| ${s.id.replace("AwsPrototyping-", "")} `,
      );
  });
});
