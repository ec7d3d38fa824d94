import { existsSync, readFileSync } from "node:fs";
import {
  directoryGroupsOf,
  groupMappingProblems,
  mapDirectoryGroups,
  type GroupMapping,
  type ProviderType,
} from "@sextant/core";
import type { Command } from "commander";

/** What a groups attribute gives under a mapping: the Sextant groups, and the directory groups dropped. */
export function checkMapping(
  mapping: GroupMapping,
  type: ProviderType,
  value: string,
): { directoryGroups: string[]; groups: string[]; dropped: string[] } {
  const directoryGroups = directoryGroupsOf(value, type);
  return {
    directoryGroups,
    groups: mapDirectoryGroups(directoryGroups, mapping),
    dropped: directoryGroups.filter((g) => !Object.hasOwn(mapping, g)),
  };
}

/** `sextant sso check`: a group mapping tried on a user's groups attribute before it is deployed. */
export function ssoCommand(program: Command): void {
  program
    .command("sso")
    .description("Single sign-on: try a group mapping before deploying it")
    .command("check")
    .description(
      "Show the Sextant groups a federated user gets from their groups attribute under a mapping, with the code the deployment runs at every sign-in",
    )
    .requiredOption(
      "--mapping <json or file>",
      'the groupMapping context value, e.g. \'{"contoso-hr": "HR"}\', or a JSON file holding it',
    )
    .requiredOption("--type <saml|oidc>", "the provider's type")
    .requiredOption(
      "--value <attribute>",
      "the user's groups attribute as Cognito stores it (the Users page of the Cognito console shows custom:directory_groups): SAML '[a, b]', OIDC '[\"a\",\"b\"]'",
    )
    .option("--json", "print JSON: { directoryGroups, groups, dropped }")
    .action(
      (options: {
        mapping: string;
        type: string;
        value: string;
        json?: boolean;
      }) => {
        const fail = (message: string): never =>
          program.error(`error: ${message}`, { exitCode: 2 });
        if (options.type !== "saml" && options.type !== "oidc")
          fail(`--type is '${options.type}': use saml or oidc`);
        let mapping: unknown;
        try {
          mapping = JSON.parse(
            existsSync(options.mapping)
              ? readFileSync(options.mapping, "utf8")
              : options.mapping,
          );
        } catch {
          fail("--mapping is neither JSON nor a JSON file");
        }
        const problems = groupMappingProblems(mapping);
        if (problems.length)
          fail(
            `--mapping: ${problems.map((p) => `${p.path} ${p.message}`.trim()).join("; ")}`,
          );
        const result = checkMapping(
          mapping as GroupMapping,
          options.type as ProviderType,
          options.value,
        );
        if (options.json) return console.log(JSON.stringify(result));
        console.log(
          `directory groups: ${result.directoryGroups.join(", ") || "none"}\nSextant groups:   ${result.groups.join(", ") || "none"}\ndropped:          ${result.dropped.join(", ") || "none"} (not in the mapping)`,
        );
      },
    );
}
