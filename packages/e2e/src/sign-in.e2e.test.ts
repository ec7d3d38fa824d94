import { startEphemeralStack, WEBSITE_DIST } from "@sextant/local";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium } from "./browser.js";

const chromiumPath = findChromium();
if (!chromiumPath)
  console.warn(
    "Browser tests skipped: install Chromium (apt-get install chromium) to run them.",
  );

let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let browser: Browser;

/** Opens the website, signs in on the issuer's page, and waits for the profile; returns the page and what it logged. */
async function signIn(
  username: string,
): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(stack.websiteUrl);
  await page.waitForURL(/\/interaction\//);
  await page.fill("#username", username);
  await page.fill(
    "#password",
    stack.users.find((u) => u.username === username)!.password,
  );
  await page.click("button[type=submit]");
  await page.getByTestId("me-username").waitFor();
  return { page, problems };
}

describe.skipIf(!chromiumPath)(
  "signing in to the website in Chromium (code + PKCE against the local issuer)",
  () => {
    beforeAll(async () => {
      stack = await startEphemeralStack(WEBSITE_DIST);
      browser = await launchChromium(chromiumPath!);
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.close();
    });

    it("shows the administrator who they are and the Administration entry, which opens the configuration", async () => {
      const { page, problems } = await signIn("admin");
      expect(await page.getByTestId("me-username").textContent()).toBe("admin");
      expect(await page.getByTestId("me-groups").textContent()).toBe(
        "Administrators",
      );
      await page.getByRole("link", { name: "Administration" }).click();
      await page.getByText("Inference configuration").waitFor();
      expect(await page.getByText("Passages per answer (k)").isVisible()).toBe(
        true,
      );
      expect(problems).toEqual([]);
      await page.close();
    });

    it("hides Administration from a regular user and redirects them away from its URL", async () => {
      const { page, problems } = await signIn("user");
      expect(await page.getByTestId("me-groups").textContent()).toBe("none");
      expect(
        await page.getByRole("link", { name: "Administration" }).count(),
      ).toBe(0);
      await page.goto(`${stack.websiteUrl}/admin`);
      await page.getByTestId("me-username").waitFor();
      expect(new URL(page.url()).pathname).toBe("/");
      expect(await page.getByText("Inference configuration").count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("rejects a wrong password on the issuer's page without signing in", async () => {
      const page = await browser.newPage();
      await page.goto(stack.websiteUrl);
      await page.waitForURL(/\/interaction\//);
      await page.fill("#username", "admin");
      await page.fill("#password", "wrong-password");
      await page.click("button[type=submit]");
      await expect(page.getByRole("alert").textContent()).resolves.toContain(
        "Wrong username or password",
      );
      await page.close();
    });
  },
);
