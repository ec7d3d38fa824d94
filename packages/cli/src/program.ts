import { readLocalState, requestDemoToken } from "@sextant/local/client";
import { Command, Option } from "commander";
import { askCommand } from "./commands/ask.js";
import { evalCommand } from "./commands/eval.js";
import { guardrailCommand } from "./commands/guardrail.js";
import { ingestCommand } from "./commands/ingest.js";
import { searchCommand } from "./commands/search.js";
import { smokeCommand } from "./commands/smoke.js";
import { sourcesCommand } from "./commands/sources.js";
import { ssoCommand } from "./commands/sso.js";
import { statsCommand } from "./commands/stats.js";

/** Builds the `sextant` command line (exported for tests). */
export function createProgram(): Command {
  const program: Command = new Command("sextant")
    .description("Sextant: secure conversational RAG for AWS")
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  const local = program
    .command("local")
    .description("Work with the local stack started by `npm start`");

  local
    .command("token")
    .description(
      "Print an access token for a demo user of the local issuer (for scripts and tests)",
    )
    .addOption(
      new Option("-u, --user <name>", "demo user").makeOptionMandatory(),
    )
    .option("--json", "print JSON: { user, accessToken, apiUrl }")
    .action(async (options: { user: string; json?: boolean }) => {
      const state = readLocalState();
      const demoUsers = state.users.filter((u) => !u.provider);
      const user = demoUsers.find((u) => u.username === options.user);
      if (!user) {
        const federated = state.users.find(
          (u) => u.username === options.user && u.provider,
        );
        program.error(
          federated
            ? `error: '${options.user}' signs in through ${federated.provider} (single sign-on), in the website; the demo users with a token here are: ${demoUsers.map((u) => u.username).join(", ")}`
            : `error: no demo user '${options.user}'; the demo users are: ${demoUsers.map((u) => u.username).join(", ")}`,
          { exitCode: 2 },
        );
      }
      const accessToken = await requestDemoToken(
        state.issuerUrl,
        user.username,
        user.password,
      );
      console.log(
        options.json
          ? JSON.stringify({
              user: user.username,
              accessToken,
              apiUrl: state.apiUrl,
            })
          : accessToken,
      );
    });

  ingestCommand(program);
  askCommand(program);
  searchCommand(program);
  evalCommand(program);
  statsCommand(program);
  smokeCommand(program);
  guardrailCommand(program);
  ssoCommand(program);
  sourcesCommand(program);
  return program;
}
