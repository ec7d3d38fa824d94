import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";

/** A signed-in page and everything it complained about: console errors, page errors, CSP violations. */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
}

/** How the browser presents itself: its language (Accept-Language, navigator.languages), theme and size. */
export interface BrowserSettings {
  readonly locale?: string;
  readonly colorScheme?: "light" | "dark";
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** Opens a page that records console errors, uncaught errors and Content-Security-Policy violations. */
export async function watchedPage(
  browser: Browser,
  settings: BrowserSettings = {},
): Promise<WatchedPage> {
  // A context of its own: axe-core opens helper pages in the page's context.
  const context = await browser.newContext({
    viewport: settings.viewport ?? { width: 1280, height: 900 },
    locale: settings.locale ?? "en-US",
    colorScheme: settings.colorScheme ?? "light",
  });
  const page = await context.newPage();
  // The browser may be closing already (the suite's end): then so is the context.
  page.on("close", () => void context.close().catch(() => undefined));
  const problems: string[] = [];
  page.on(
    "console",
    (m) => m.type() === "error" && problems.push(`console: ${m.text()}`),
  );
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Injected by the browser's debugging protocol, so the strict CSP does not block it.
  await page.addInitScript(
    'document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));',
  );
  return { page, problems };
}

/** Opens the website at `path` and waits for the local issuer's sign-in page. */
async function signInPage(
  browser: Browser,
  websiteUrl: string,
  path: string,
  settings?: BrowserSettings,
): Promise<WatchedPage> {
  const watched = await watchedPage(browser, settings);
  await watched.page.goto(`${websiteUrl}${path}`);
  await watched.page.waitForURL(/\/interaction\//);
  return watched;
}

/** Signs in on the local issuer's page as a demo user and waits for the app. */
export async function signIn(
  browser: Browser,
  websiteUrl: string,
  user: { username: string; password: string },
  path = "/",
  settings?: BrowserSettings,
): Promise<WatchedPage> {
  const watched = await signInPage(browser, websiteUrl, path, settings);
  const { page } = watched;
  await page.fill("#username", user.username);
  await page.fill("#password", user.password);
  await page.click("button[type=submit]");
  await page.getByRole("button", { name: user.username }).waitFor();
  return watched;
}

/**
 * Signs a person of the stand-in company directory in through single sign-on: the local sign-in
 * page's "Sign in with <provider>", then the directory's own sign-in page. Their Sextant username
 * is `<provider>_<username>`, as Cognito names a federated user.
 */
export async function signInThroughDirectory(
  browser: Browser,
  websiteUrl: string,
  person: { username: string; password: string },
  provider: string,
  path = "/",
): Promise<WatchedPage> {
  const watched = await signInPage(browser, websiteUrl, path);
  const { page } = watched;
  await page.getByRole("link", { name: `Sign in with ${provider}` }).click();
  await page
    .getByRole("heading", { name: "Sign in to Example Corp" })
    .waitFor();
  await page.fill("#username", person.username);
  await page.fill("#password", person.password);
  await page.click("button[type=submit]");
  try {
    await page
      .getByRole("button", { name: `${provider}_${person.username}` })
      .waitFor();
  } catch (e) {
    // Where the sign-in stopped, for the failure's message (the test has not got the page yet).
    throw new Error(
      `${(e as Error).message}\nat ${page.url()}: ${(await page.locator("body").innerText()).slice(0, 500)}\n${watched.problems.join("\n")}`,
    );
  }
  return watched;
}

/**
 * Findings in Cloudscape's own markup that Sextant cannot change, each with its reason; only the
 * named rule on the named element is set aside, everything else on the page is still checked.
 */
const UPSTREAM_FINDINGS: readonly {
  rule: string;
  target: RegExp;
  reason: string;
}[] = [
  {
    rule: "aria-allowed-attr",
    target: /mobile-toolbar-nav/,
    reason:
      "AppLayout's phone toolbar puts aria-orientation on a <nav> (Cloudscape 3.0.1383); the attribute is ignored by assistive technology",
  },
];

/** Serious and critical accessibility violations axe-core finds on the page, as readable lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      ...v,
      nodes: v.nodes.filter(
        (n) =>
          !UPSTREAM_FINDINGS.some(
            (u) => u.rule === v.id && u.target.test(n.target.join(" ")),
          ),
      ),
    }))
    .filter((v) => v.nodes.length > 0)
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
}

/** Saves a screenshot into `SEXTANT_SCREENSHOTS` when set (`npm run screenshots`); does nothing otherwise. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SEXTANT_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}
