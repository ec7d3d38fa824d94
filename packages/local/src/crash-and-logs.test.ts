import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localStatePath, type LocalState } from "./local-state.js";
import {
  apiCaller,
  saveInferenceConfig,
  uploadDocument,
} from "./test-support.js";
import { requestDemoToken } from "./token.js";

// `npm start` as a user runs it: the built entry point in a process of its own.
const MAIN = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "lib",
  "main.js",
);
const root = mkdtempSync(join(tmpdir(), "sextant-crash-"));
const dataDir = join(root, ".sextant");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Starts `npm start`'s process on free ports; resolves once `.sextant/local.json` is written. */
async function start(
  output: string[],
): Promise<{ child: ChildProcess; state: LocalState }> {
  rmSync(localStatePath(dataDir), { force: true });
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      SEXTANT_DATA_DIR: dataDir,
      SEXTANT_PORT: "0",
      SEXTANT_ISSUER_PORT: "0",
      SEXTANT_SEED: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const deadline = Date.now() + 60_000;
  while (!existsSync(localStatePath(dataDir))) {
    if (child.exitCode !== null)
      throw new Error(
        `npm start exited with ${child.exitCode}:\n${output.join("")}`,
      );
    if (Date.now() > deadline)
      throw new Error(`npm start did not get ready:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    state: JSON.parse(
      readFileSync(localStatePath(dataDir), "utf8"),
    ) as LocalState,
  };
}

const tokenOf = (state: LocalState, username: string) =>
  requestDemoToken(
    state.issuerUrl,
    username,
    state.users.find((u) => u.username === username)!.password,
  );

describe("npm start killed with SIGKILL, and what it logs (a full run in its own process)", () => {
  // The test runs after the build: a missing entry point is a broken build, not a reason to skip.
  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(
        `${MAIN} is missing: build packages/local (npx projen build) before its tests.`,
      );
  });
  const output: string[] = [];
  const secrets: string[] = [];
  const markers = {
    question: "Marker question about the cormorant census",
    document: "The cormorant census counted ninety-one nests on the north mole",
    prompt: "Marker prompt: answer like a lighthouse keeper",
  };

  it("restarts after SIGKILL with every acknowledged write intact, and logs no token, password, document text or prompt", async () => {
    const first = await start(output);
    const call = apiCaller(first.state.apiUrl);
    const user = await tokenOf(first.state, "user");
    const admin = await tokenOf(first.state, "admin");
    secrets.push(user, admin, ...first.state.users.map((u) => u.password));

    // A full run: upload, configuration change, questions, errors.
    const url = await uploadDocument(
      call,
      admin,
      "census.txt",
      markers.document,
    );
    secrets.push(new URL(url).pathname.split("/").pop()!); // the signed upload grant
    await saveInferenceConfig(call, admin, (config) => ({
      ...config,
      prompts: {
        ...config.prompts,
        answer: `${markers.prompt}\n${config.prompts.answer}`,
      },
    }));
    const session = await call("POST", "/sessions", {
      token: user,
      body: {},
    });
    expect(
      (
        await call("POST", "/sessions", {
          token: user,
          raw: `{"title": ${JSON.stringify(markers.question)}`,
        })
      ).status,
    ).toBe(400);
    expect((await call("GET", "/admin/users", { token: user })).status).toBe(
      403,
    );
    expect((await call("GET", "/me", { token: `${user}x` })).status).toBe(401);

    // Questions one after another; the process is killed while they are still being asked.
    const acknowledged: string[] = [];
    let refused = 0;
    let killedAt = 0;
    const asking = (async () => {
      for (let i = 0; ; i++) {
        const question = `${markers.question} #${i}`;
        try {
          const r = await call(
            "POST",
            `/sessions/${session.body.id}/messages`,
            { token: user, body: { question } },
          );
          if (r.status === 200) acknowledged.push(question);
          else refused += 1;
        } catch {
          return; // the connection died with the process
        }
      }
    })();
    while (acknowledged.length < 20) {
      if (refused > 5)
        throw new Error(`questions refused:\n${output.join("")}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const exited = new Promise((r) => first.child.once("exit", r));
    first.child.kill("SIGKILL");
    killedAt = acknowledged.length;
    await Promise.all([asking, exited]);

    const second = await start(output);
    try {
      const again = await tokenOf(second.state, "user");
      secrets.push(again);
      const history = await apiCaller(second.state.apiUrl)(
        "GET",
        `/sessions/${session.body.id}/messages?limit=100`,
        {
          token: again,
        },
      );
      expect(history.status).toBe(200);
      const stored = (
        history.body.items as { role: string; content: string }[]
      ).filter((m) => m.role === "user");
      // Every acknowledged question survived, in order; at most the one in flight at the kill is extra.
      expect(
        stored.map((m) => m.content).slice(0, acknowledged.length),
      ).toEqual(acknowledged);
      expect(stored.length - acknowledged.length).toBeLessThanOrEqual(1);
      expect(history.body.items.length % 2).toBe(0); // each question with its answer, or neither
      // A path carrying an e-mail address (a set's name, say): logged with the address redacted.
      await apiCaller(second.state.apiUrl)(
        "GET",
        "/admin/evaluations/jane.doe@example.com",
        { token: again },
      );
      console.info(
        `SIGKILL after ${killedAt} acknowledged questions: ${stored.length} stored after restart`,
      );
    } finally {
      const stopped = new Promise((r) => second.child.once("exit", r));
      second.child.kill("SIGTERM");
      await stopped;
    }

    // The start-up banner shows the demo users' generated passwords on purpose (local only, also
    // in .sextant/local.json); nothing after it may.
    const logs = output
      .join("")
      .split(/Sextant is running locally\.[\s\S]*?A token for scripts:[^\n]*\n/)
      .join("\n");
    for (const secret of [...secrets, ...Object.values(markers)])
      expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}/);
    expect(logs).not.toMatch(/cormorant|lighthouse keeper/i);
    expect(logs).not.toContain("jane.doe@example.com");
    expect(logs).toContain('"path":"/api/admin/evaluations/[EMAIL]"');
    const lines = logs.split("\n").filter((l) => l.startsWith("{"));
    expect(
      lines.filter((l) => l.includes('"message":"request"')).length,
    ).toBeGreaterThan(20); // the access log was on
    console.info(
      `logs scanned: ${lines.length} log lines, for ${secrets.length} secrets and ${Object.keys(markers).length} markers`,
    );
  }, 180_000);
});
