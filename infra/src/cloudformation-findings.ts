import { existsSync, readFileSync } from "fs";
import * as path from "path";

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly description: string;
      readonly severity: string;
      readonly violatingConstructs: readonly {
        readonly constructPath: string;
      }[];
    }[];
  }[];
}

/**
 * What CDK's own CloudFormation validation found in a synthesized assembly, warnings included
 * (`@aws-cdk/core:validateAgainstDefaultRules` makes only errors fail synth). A finding that is
 * acknowledged with `Validations.of(construct).acknowledge({ id, reason })` is not listed: CDK
 * moves it out of the report's violations, and the reason is recorded with it.
 */
export function cloudFormationFindings(assemblyDirectory: string): string[] {
  const file = path.join(assemblyDirectory, "validation-report.json");
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, "utf8")) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) =>
      v.violatingConstructs.map(
        (c) =>
          `${plugin.pluginName} ${v.ruleName} (${v.severity}) at ${c.constructPath}: ${v.description}`,
      ),
    ),
  );
}
