import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  WEBSITE_DIST,
  startEphemeralStack,
  writeLocalState,
} from "@sextant/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "..", "bin", "sextant.js");
let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let cwd: string;

beforeAll(async () => {
  stack = await startEphemeralStack(WEBSITE_DIST, { seedDemoCorpus: false });
  // As `npm start` leaves it: the stack's URLs and demo users in .sextant/local.json.
  cwd = mkdtempSync(join(tmpdir(), "sextant-smoke-"));
  writeLocalState(join(cwd, ".sextant"), stack);
}, 120_000);
afterAll(() => stack?.close());

const smoke = (...args: string[]) =>
  run(process.execPath, [bin, "smoke", "--json", ...args], { cwd }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe("sextant smoke against the local stack (real HTTP, real tokens from the local issuer)", () => {
  it("passes every step, with timings and the time to the first token", async () => {
    const { code, stdout } = await smoke();
    const { apiUrl, steps } = JSON.parse(stdout);
    expect(apiUrl).toBe(stack.apiUrl);
    expect(steps.filter((s: { ok: boolean }) => !s.ok)).toEqual([]);
    expect(steps.map((s: { name: string }) => s.name)).toEqual([
      "sign in (two users)",
      "GET /me as a user and as an administrator",
      "an admin route: 403 for the user, 200 for the administrator",
      "a document uploaded and ingested to ready",
      "a streamed question answered with citations",
    ]);
    expect(steps[4].detail).toMatch(
      /^first token after \d+ ms, [1-9]\d* sources$/,
    );
    expect(code).toBe(0);
  }, 120_000);

  it("fails, naming the step, when the user it is given is an administrator", async () => {
    const tokens = await Promise.all(
      ["admin", "admin"].map(async (u) => {
        const user = stack.users.find((x) => x.username === u)!;
        const { requestDemoToken } = await import("@sextant/local");
        return requestDemoToken(stack.issuerUrl, user.username, user.password);
      }),
    );
    const { code, stdout } = await smoke(
      "--api-url",
      stack.apiUrl,
      "--admin-token",
      tokens[0],
      "--user-token",
      tokens[1],
    );
    const { steps } = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(steps.find((s: { ok: boolean }) => !s.ok)).toMatchObject({
      name: "GET /me as a user and as an administrator",
      detail: expect.stringContaining("isAdministrator: user true"),
    });
  }, 120_000);

  it("asks for both tokens when given an API URL", async () => {
    const { code, stderr } = await smoke(
      "--api-url",
      "https://example.invalid/api",
    );
    expect(code).toBe(2);
    expect(stderr).toContain("--admin-token and --user-token");
  });
});
