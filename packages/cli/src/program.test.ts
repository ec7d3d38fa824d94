import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { startEphemeralStack, writeLocalState } from "@sextant/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "bin", "sextant.js");
let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let cwd: string;

const sextant = (...args: string[]) =>
  run(process.execPath, [bin, ...args], { cwd }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

beforeAll(async () => {
  stack = await startEphemeralStack(join(tmpdir(), "no-website"));
  writeLocalState(stack.dataDir, stack);
  cwd = dirname(stack.dataDir);
});

afterAll(async () => {
  await stack?.close();
});

describe("sextant local token", () => {
  it("prints an access token the local API accepts", async () => {
    const { code, stdout } = await sextant("local", "token", "--user", "admin");
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    const me = await fetch(`${stack.apiUrl}/me`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await me.json()).toMatchObject({
      username: "admin",
      isAdministrator: true,
    });
  });

  it("prints JSON with --json", async () => {
    const { stdout } = await sextant(
      "local",
      "token",
      "--user",
      "user",
      "--json",
    );
    expect(JSON.parse(stdout)).toMatchObject({
      user: "user",
      apiUrl: stack.apiUrl,
    });
  });

  it("names the demo users when the user is unknown, exit code 2", async () => {
    const { code, stderr } = await sextant(
      "local",
      "token",
      "--user",
      "mallory",
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      "no demo user 'mallory'; the demo users are: admin, user",
    );
  });

  it("requires --user and says so", async () => {
    const { code, stderr } = await sextant("local", "token");
    expect(code).not.toBe(0);
    expect(stderr).toContain("--user <name>");
  });

  it("has --help on every command", async () => {
    for (const args of [[], ["local"], ["local", "token"]]) {
      const { code, stdout } = await sextant(...args, "--help");
      expect(code).toBe(0);
      expect(stdout).toContain("Usage: sextant");
    }
  });
});

describe("sextant without a running stack", () => {
  it("tells the user to run npm start", async () => {
    const empty = mkdtempSync(join(tmpdir(), "sextant-cli-empty-"));
    try {
      const result = await run(
        process.execPath,
        [bin, "local", "token", "--user", "admin"],
        { cwd: empty },
      ).catch((e) => e);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("npm start");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
