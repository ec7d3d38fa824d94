import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

describe("sextant sso check: a mapping tried before it is deployed (the deployment's own code)", () => {
  const bin = join(import.meta.dirname, "..", "..", "bin", "sextant.js");
  const check = (...args: string[]) =>
    promisify(execFile)(process.execPath, [bin, "sso", "check", ...args]).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: "" }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const mapping = '{"contoso-hr": "HR", "contoso-it-admins": "Administrators"}';

  it("shows the Sextant groups and what the mapping drops", async () => {
    const { code, stdout } = await check(
      "--mapping",
      mapping,
      "--type",
      "saml",
      "--value",
      "[contoso-hr, contoso-sales, Contoso-IT-Admins]",
      "--json",
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      directoryGroups: ["contoso-hr", "contoso-sales", "Contoso-IT-Admins"],
      groups: ["HR"],
      dropped: ["contoso-sales", "Contoso-IT-Admins"],
    });
  });

  it("names the entry of a malformed mapping", async () => {
    const { code, stderr } = await check(
      "--mapping",
      '{"contoso-hr": "Human Resources"}',
      "--type",
      "oidc",
      "--value",
      '["contoso-hr"]',
    );
    expect(code).toBe(2);
    expect(stderr).toContain('"contoso-hr" must map to a Sextant group');
  });
});
