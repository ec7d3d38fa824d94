import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SingleBar, Presets } from "cli-progress";
import { EXAMPLE_CORP, LOCAL_GROUP_MAPPING } from "./federation.js";
import { localStatePath, writeLocalState } from "./local-state.js";
import { REPO_ROOT, WEBSITE_DIST } from "./paths.js";
import { PortInUseError, startLocalStack } from "./stack.js";

function port(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${variable}=${raw} is not a port number (0-65535).`);
    process.exit(2);
  }
  return value;
}

/** `npm start`: runs the local stack until Ctrl-C, with its URLs and demo users in `.sextant/local.json`. */
async function main(): Promise<void> {
  const dataDir = process.env.SEXTANT_DATA_DIR ?? join(REPO_ROOT, ".sextant");
  const stateFile = localStatePath(dataDir);
  mkdirSync(dataDir, { recursive: true });
  rmSync(stateFile, { force: true });

  const bar = new SingleBar(
    {
      format:
        "Seeding the demo corpus |{bar}| {value}/{total} State of the Union addresses",
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    Presets.shades_classic,
  );
  const stack = await startLocalStack({
    port: port("SEXTANT_PORT", 3000),
    issuerPort: port("SEXTANT_ISSUER_PORT", 3001),
    dataDir,
    websiteDir: WEBSITE_DIST,
    seedDemoCorpus: process.env.SEXTANT_SEED !== "false",
    accessLog:
      process.env.SEXTANT_ACCESS_LOG === "false"
        ? undefined
        : (line) => console.log(line),
    onSeedProgress: ({ done, total }) => {
      if (done === 1) bar.start(total, 0);
      bar.update(done);
      if (done === total) bar.stop();
    },
  });
  const state = writeLocalState(dataDir, stack);

  console.log(`
Sextant is running locally.

  Website  ${state.websiteUrl}
  API      ${state.apiUrl}
  Issuer   ${state.issuerUrl}   (local OIDC issuer standing in for Cognito)
  Database ${process.env.DATABASE_URL ? "DATABASE_URL" : join(dataDir, "data")}${stack.seeded ? `   (seeded: ${stack.seeded.added} documents, ${stack.seeded.chunks} chunks in ${stack.seeded.seconds} s)` : ""}

  Demo users:
${state.users
  .filter((u) => !u.provider)
  .map(
    (u) =>
      `    ${u.username.padEnd(7)} password ${u.password}${u.groups.length ? `   groups: ${u.groups.join(", ")}` : ""}`,
  )
  .join("\n")}

  Example Corp, a company directory (choose "Sign in with ${EXAMPLE_CORP}"; groups mapped by ${JSON.stringify(LOCAL_GROUP_MAPPING)}):
${state.users
  .filter((u) => u.provider)
  .map(
    (u) =>
      `    ${u.username.padEnd(7)} password ${u.password}   directory groups: ${u.groups.join(", ")}`,
  )
  .join("\n")}

  A token for scripts:  npx sextant local token --user admin
  These details are in ${stateFile}. Press Ctrl-C to stop.
`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Sextant...`);
    rmSync(stateFile, { force: true });
    await stack.close();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e) => {
  if (e instanceof PortInUseError) {
    console.error(e.message);
    process.exit(1);
  }
  console.error("Sextant could not start:", e instanceof Error ? e.message : e);
  process.exit(1);
});
