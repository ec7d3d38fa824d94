import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import {
  apiCaller,
  demoTokens,
  openAiStreamChunk,
  saveAnswerModel,
  saveInferenceConfig,
  startEphemeralStack,
  WEBSITE_DIST,
} from "@sextant/local";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium } from "./browser.js";
import {
  accessibilityViolations,
  screenshot,
  signIn,
  signInThroughDirectory,
  type BrowserSettings,
  type WatchedPage,
} from "./website.js";

const chromiumPath = findChromium();
if (!chromiumPath && process.env.CI)
  // In CI the browser suite never skips: it is the one proof that admin pages stay hidden and
  // hostile content never runs.
  throw new Error(
    "CI: the browser suite needs Chromium (apt-get install chromium); it does not skip in CI.",
  );
if (!chromiumPath)
  console.warn(
    "\n=== SKIPPED: the browser suite (packages/e2e, 14 tests): Chromium is not installed (apt-get install chromium). CI would fail here. ===\n",
  );

let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let browser: Browser;

const opened: WatchedPage[] = [];
const as = async (
  username: "admin" | "user" | "analyst",
  path = "/",
  settings?: BrowserSettings,
) => {
  const watched = await signIn(
    browser,
    stack.websiteUrl,
    stack.users.find((u) => u.username === username)!,
    path,
    settings,
  );
  opened.push(watched);
  return watched;
};

/** Asks a question in the open chat and waits for the stored answer; returns the answer bubble. */
async function ask(page: Page, question: string) {
  const answers = page.getByRole("group", { name: /^Sextant at / });
  const before = await answers.count();
  await page.getByRole("textbox", { name: "Your question" }).fill(question);
  await page.getByRole("button", { name: "Send" }).click();
  await expect
    .poll(() => answers.count(), { timeout: 30_000 })
    .toBe(before + 1);
  return answers.nth(before);
}

/** No console errors, no CSP violations, no serious or critical accessibility violations. */
async function expectHealthy({ page, problems }: WatchedPage) {
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
}

describe.skipIf(!chromiumPath)(
  "the website in Chromium, against the local stack (real issuer, API and database)",
  () => {
    beforeAll(async () => {
      stack = await startEphemeralStack(WEBSITE_DIST, { seedDemoCorpus: true });
      browser = await launchChromium(chromiumPath!);
    }, 120_000);

    // On failure, print what the page showed and logged: enough to tell a broken page from a slow one in CI.
    afterEach(async (context) => {
      const pages = opened.splice(0).filter((w) => !w.page.isClosed());
      if (context.task.result?.state === "fail")
        for (const { page, problems } of pages)
          console.log(
            `${page.url()}\n${(await page.locator("body").innerText()).slice(0, 3000)}\nproblems: ${problems.join("\n")}`,
          );
      await Promise.all(pages.map((w) => w.page.close()));
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.close();
    });

    it("answers a question with numbered citations that open their source passage", async () => {
      const watched = await as("user");
      const { page } = watched;
      const answer = await ask(
        page,
        "What did the president say about the Soviet Union and arms reduction?",
      );
      expect(new URL(page.url()).pathname).toMatch(
        /^\/sessions\/[0-9a-f-]{36}$/,
      );
      // The tab is titled with the conversation once it has one.
      await expect
        .poll(() => page.title())
        .toMatch(
          /^What did the president say about the Soviet Union.* · Sextant$/,
        );
      await answer.getByRole("link", { name: "Source 1" }).first().click();
      const source = answer.getByRole("button", { name: /^\[1\] / });
      await expect
        .poll(() => source.getAttribute("aria-expanded"))
        .toBe("true");
      expect(
        await answer
          .getByText(/score \d\.\d{3}/)
          .first()
          .isVisible(),
      ).toBe(true);
      expect(await answer.getByTestId("latency").getAttribute("title")).toMatch(
        /retrieve \d+ ms/,
      );
      await answer
        .getByRole("button", { name: "Helpful", exact: true })
        .click();
      await answer.getByRole("button", { name: "Send feedback" }).click();
      await answer.getByText("Thanks for the feedback").waitFor();
      await screenshot(page, "chat-cited-answer");
      await expectHealthy(watched);
      await page.close();
    });

    it("exports a conversation as Markdown: the download holds the question, the answer and its citations as footnotes", async () => {
      const watched = await as("user");
      const { page } = watched;
      await ask(
        page,
        "What did the president say about the space shuttle Challenger?",
      );
      await page.getByRole("button", { name: "Export" }).click();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("menuitem", { name: "Markdown (.md)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^[a-z0-9-]+\.md$/);
      const markdown = readFileSync((await download.path())!, "utf8");
      expect(markdown).toMatch(/^# /);
      expect(markdown).toContain(
        "**Question:** What did the president say about the space shuttle Challenger?",
      );
      expect(markdown).toMatch(
        /\[\^1-1\]: State of the Union — .+, \d{4}, state-of-the-union\//,
      );
      await expectHealthy(watched);
      await page.close();
    });

    it("shares a conversation with analyst, who reads it read-only; admin, not shared with, is refused; a revoked share closes it", async () => {
      const owner = await as("user");
      await ask(
        owner.page,
        "What did the president say about the space shuttle Challenger?",
      );
      const sessionPath = new URL(owner.page.url()).pathname;
      const sessionId = sessionPath.split("/").pop()!;
      await owner.page.getByRole("button", { name: "Share" }).click();
      await owner.page
        .getByRole("textbox", { name: "Share with users" })
        .fill("analyst");
      await owner.page
        .getByRole("button", { name: "Share", exact: true })
        .last()
        .click();
      await owner.page
        .getByRole("button", { name: "Revoke the share with analyst" })
        .waitFor();

      const reader = await as("analyst", `/shared/${sessionId}`);
      await reader.page.getByText("Shared by user · read-only").waitFor();
      await reader.page
        .getByText(
          "What did the president say about the space shuttle Challenger?",
        )
        .waitFor();
      // Read-only: no prompt, no feedback.
      expect(
        await reader.page
          .getByPlaceholder("Ask a question about your documents")
          .count(),
      ).toBe(0);
      expect(
        await reader.page
          .getByRole("button", { name: "Helpful", exact: true })
          .count(),
      ).toBe(0);
      await expectHealthy(reader);

      const stranger = await as("admin", `/shared/${sessionId}`);
      await stranger.page
        .getByText("This conversation is not shared with you")
        .waitFor();

      await owner.page
        .getByRole("button", { name: "Revoke the share with analyst" })
        .click();
      await expect
        .poll(() =>
          owner.page
            .getByRole("button", { name: "Revoke the share with analyst" })
            .count(),
        )
        .toBe(0);
      await reader.page.reload();
      await reader.page
        .getByText("This conversation is not shared with you")
        .waitFor();
      for (const w of [owner, reader, stranger]) await w.page.close();
    });

    it("fits a phone's width: no sideways scrolling; at the end of a long thread the header and the prompt are in view", async () => {
      const watched = await as("user");
      const { page } = watched;
      await page.setViewportSize({ width: 390, height: 844 });
      await ask(page, "What did the president say about health care?");
      expect(
        await page.evaluate("document.documentElement.scrollWidth"),
      ).toBeLessThanOrEqual(390);
      expect(
        await page.getByRole("textbox", { name: "Your question" }).isVisible(),
      ).toBe(true);
      // At the end of a thread longer than the screen, the header and the prompt are still in view.
      await page.evaluate(
        "window.scrollTo(0, document.documentElement.scrollHeight)",
      );
      expect(
        await page.evaluate<number>("document.documentElement.scrollHeight"),
      ).toBeGreaterThan(844);
      const inView = (box: { y: number; height: number } | null) =>
        !!box && box.y >= 0 && box.y + box.height <= 844;
      expect(inView(await page.locator("#top-nav").boundingBox())).toBe(true);
      expect(
        inView(
          await page
            .getByRole("textbox", { name: "Your question" })
            .boundingBox(),
        ),
      ).toBe(true);
      await screenshot(page, "chat-phone");
      await expectHealthy(watched);
      await page.close();
    });

    it("switches language in the user menu: the page, its dates and Cloudscape's labels change, and the choice is remembered", async () => {
      const watched = await as("admin", "/documents");
      const { page } = watched;
      // The demo corpus was loaded by the CLI: its "Uploaded" cells read "CLI, <date>".
      const uploaded = page.getByRole("cell", { name: /^CLI, / }).first();
      // English dates: "Nov 30, 2026, 11:59 PM".
      await expect
        .poll(() => uploaded.innerText())
        .toMatch(/[A-Z][a-z]{2} \d{1,2}, \d{4}/);
      await page.getByRole("button", { name: "admin" }).click();
      await page.getByRole("menuitemcheckbox", { name: "Deutsch" }).click();
      await page
        .getByRole("heading", { name: "Aufgenommene Dokumente" })
        .waitFor();
      expect(await page.evaluate("document.documentElement.lang")).toBe("de");
      // German dates: "30.11.2026, 23:59"; the side navigation and the table's own labels follow.
      expect(await uploaded.innerText()).toMatch(
        /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/,
      );
      await page.getByRole("link", { name: "Neuer Chat" }).waitFor();
      await page.getByRole("button", { name: "Nächste Seite" }).waitFor();
      await page.reload();
      await page
        .getByRole("heading", { name: "Aufgenommene Dokumente" })
        .waitFor();
      await screenshot(page, "documents-german");
      await expectHealthy(watched);
      await page.close();
    });

    it("has no serious accessibility finding on any page: German at phone width without sideways scrolling, Japanese, light and dark", async () => {
      // A conversation with a cited answer, asked through the API.
      const call = apiCaller(stack.apiUrl);
      const { admin } = await demoTokens(stack);
      const conversation = (
        await call("POST", "/sessions", { token: admin, body: {} })
      ).body as { id: string };
      await call("POST", `/sessions/${conversation.id}/messages`, {
        token: admin,
        body: {
          question: "What did the president say about schools and education?",
        },
      });
      const pages = [
        "/",
        `/sessions/${conversation.id}`,
        "/documents",
        "/admin/collections",
        "/admin/assistants",
        "/admin/configuration",
        "/admin/users",
        "/admin/usage",
        "/admin/audit-log",
      ];
      const settings: (BrowserSettings & { ready: string })[] = [
        {
          locale: "de-DE",
          colorScheme: "light",
          viewport: { width: 390, height: 844 },
          ready: "Neuer Chat",
        },
        {
          locale: "de-DE",
          colorScheme: "dark",
          viewport: { width: 390, height: 844 },
          ready: "Neuer Chat",
        },
        { locale: "ja-JP", colorScheme: "light", ready: "新しいチャット" },
        { locale: "ja-JP", colorScheme: "dark", ready: "新しいチャット" },
      ];
      const findings: string[] = [];
      for (const { ready, ...setting } of settings) {
        const watched = await as("admin", "/", setting);
        const { page } = watched;
        for (const path of pages) {
          await page.goto(`${stack.websiteUrl}${path}`);
          await page.getByText(ready).first().waitFor({ state: "attached" });
          await page.waitForLoadState("networkidle");
          const where = `${setting.locale} ${setting.colorScheme} ${setting.viewport?.width ?? 1280}px ${path}`;
          for (const v of await accessibilityViolations(page))
            findings.push(`${where}: ${v}`);
          const width = await page.evaluate<number>(
            "document.documentElement.scrollWidth",
          );
          if (width > (setting.viewport?.width ?? 1280))
            findings.push(`${where}: scrolls sideways (${width}px)`);
          if (
            path === `/sessions/${conversation.id}` &&
            setting.locale === "de-DE" &&
            setting.colorScheme === "light"
          )
            await screenshot(page, "chat-german-phone");
        }
        expect(watched.problems).toEqual([]);
        await page.close();
      }
      expect(findings).toEqual([]);
      // 36 page visits, each with axe: over a minute on 2 cores, more beside the other packages' tests.
    }, 300_000);

    it("is usable from the keyboard alone: ask, open a citation, rate the answer; focus always visible, the answer announced once", async () => {
      const watched = await as("user");
      const { page } = watched;
      // Every text the polite status region takes, in order.
      await page.evaluate(`window.__announced = [];
        new MutationObserver(() => {
          const text = document.querySelector('[role="status"].sextant-visually-hidden')?.textContent ?? "";
          if (text && window.__announced.at(-1) !== text) window.__announced.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });`);
      /** Tabs forward until the focused element is `name`'s, checking that focus is visibly drawn. */
      const tabTo = async (name: RegExp) => {
        for (let i = 0; i < 80; i++) {
          await page.keyboard.press("Tab");
          const focused = await page.evaluate<{
            label: string;
            visible: boolean;
          }>(`(() => {
            const e = document.activeElement;
            return { label: (e.getAttribute("aria-label") ?? e.textContent ?? "").trim(),
              visible: e.matches(":focus-visible") && document.body.dataset.awsuiFocusVisible === "true" };
          })()`);
          if (name.test(focused.label)) {
            expect(focused.visible, `focus on ${focused.label} is drawn`).toBe(
              true,
            );
            return;
          }
        }
        throw new Error(`Tab never reached ${name}`);
      };
      await tabTo(/^Your question$/);
      await page.keyboard.type(
        "What did the president say about inflation and prices?",
      );
      await page.keyboard.press("Enter");
      const answer = page.getByRole("group", { name: /^Sextant at / });
      await answer.waitFor({ timeout: 30_000 });
      await tabTo(/^Source 1$/);
      await page.keyboard.press("Enter");
      await expect
        .poll(() =>
          answer
            .getByRole("button", { name: /^\[1\] / })
            .getAttribute("aria-expanded"),
        )
        .toBe("true");
      await tabTo(/^Helpful$/);
      await page.keyboard.press("Enter");
      await tabTo(/^Send feedback$/);
      await page.keyboard.press("Enter");
      await answer.getByText("Thanks for the feedback").waitFor();
      const announced = await page.evaluate<string[]>("window.__announced");
      const text = (
        await answer.locator(".sextant-markdown").first().innerText()
      ).replace(/\[\d+\]/g, "");
      expect(announced[0]).toBe("Sextant is answering…");
      expect(announced).toHaveLength(2);
      expect(announced[1].replace(/\s+/g, " ")).toContain(
        text.replace(/\s+/g, " ").slice(0, 60),
      );
      await expectHealthy(watched);
      await page.close();
    });

    it("renames and deletes a conversation, with confirmation", async () => {
      const watched = await as("user");
      const { page } = watched;
      await ask(page, "What did the address say about taxes?");
      const list = page.getByRole("navigation", { name: "Conversations" });
      await list
        .getByRole("link", { name: "What did the address say about taxes?" })
        .waitFor();

      await list
        .getByRole("button", {
          name: "Actions for What did the address say about taxes?",
        })
        .click();
      await page.getByRole("menuitem", { name: "Rename" }).click();
      await page.getByLabel("Title").fill("Taxes");
      await page.getByRole("button", { name: "Save" }).click();
      await list.getByRole("link", { name: "Taxes", exact: true }).waitFor();
      // The heading is the session's own query: it follows the list, a render later.
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toContain("Taxes");

      await list.getByRole("button", { name: "Actions for Taxes" }).click();
      await page.getByRole("menuitem", { name: "Delete" }).click();
      await expectHealthy(watched); // the confirmation dialog is accessible too
      await page
        .getByRole("dialog")
        .getByRole("button", { name: "Delete" })
        .click();
      await page.waitForURL((url) => url.pathname === "/");
      await expect
        .poll(() =>
          list.getByRole("link", { name: "Taxes", exact: true }).count(),
        )
        .toBe(0);
      expect(watched.problems).toEqual([]);
      await page.close();
    });

    it("keeps the unsent draft when the session has expired and the user signs in again", async () => {
      const watched = await as("user");
      const { page } = watched;
      const draft = "A question I typed before my session expired";
      await page.getByRole("textbox", { name: "Your question" }).fill(draft);
      // Make the stored access token one the API refuses (as an expired one is), then come back.
      await page.evaluate(`(() => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith("oidc.user:"));
      const user = JSON.parse(sessionStorage.getItem(key));
      user.access_token = user.access_token.slice(0, -4) + "AAAA";
      sessionStorage.setItem(key, JSON.stringify(user));
    })()`);
      const refused = page.waitForResponse(
        (r) => r.url().endsWith("/api/me") && r.status() === 401,
      );
      await page.reload();
      await refused;
      // The issuer still has a session: the app signs in again without a form and returns here.
      await page.getByRole("button", { name: "user" }).waitFor();
      await expect
        .poll(() =>
          page.getByRole("textbox", { name: "Your question" }).inputValue(),
        )
        .toBe(draft);
      await page.close();
    });

    it("sends a question again after its response was lost, and the conversation holds it once", async () => {
      const { page } = await as("user");
      const question = "What did the president say about the Panama Canal?";
      const keys: string[] = [];
      // The first answer is stored by the API, but its response never reaches the browser.
      await page.route(
        "**/messages/stream",
        async (route) => {
          keys.push((await route.request().headerValue("idempotency-key"))!);
          await (await route.fetch()).body();
          await route.abort("connectionreset");
        },
        { times: 1 },
      );
      const prompt = page.getByRole("textbox", { name: "Your question" });
      await prompt.fill(question);
      await page.getByRole("button", { name: "Send" }).click();
      await page.getByText("Your question is back in the prompt.").waitFor();
      expect(await prompt.inputValue()).toBe(question);

      const retried = page.waitForRequest("**/messages/stream");
      await page.getByRole("button", { name: "Send" }).click();
      keys.push((await (await retried).headerValue("idempotency-key"))!);
      const answers = page.getByRole("group", { name: /^Sextant at / });
      await page
        .getByText("The question was not answered")
        .waitFor({ state: "detached" });
      await answers.first().waitFor();
      // Once on screen, even when a refetch had already shown the stored pair.
      expect(await answers.count()).toBe(1);
      expect(await page.getByRole("group", { name: /^You at / }).count()).toBe(
        1,
      );
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);

      const sessionId = new URL(page.url()).pathname.split("/").pop();
      const history = await apiCaller(stack.apiUrl)(
        "GET",
        `/sessions/${sessionId}/messages`,
        { token: (await demoTokens(stack)).user },
      );
      expect(history.body.items.map((m: { role: string }) => m.role)).toEqual([
        "user",
        "assistant",
      ]);
      await page.reload();
      await answers.first().waitFor();
      expect(await page.getByRole("group", { name: /^You at / }).count()).toBe(
        1,
      );
      await page.close();
    });

    it("keeps a regular user out of administration: no entries, and its URLs redirect to chat", async () => {
      const watched = await as("user");
      const { page } = watched;
      expect(await page.getByRole("link", { name: "Documents" }).count()).toBe(
        0,
      );
      for (const name of ["Assistants", "Collections"])
        expect(await page.getByRole("link", { name }).count(), name).toBe(0);
      expect(
        await page.getByRole("button", { name: /Dev settings/ }).count(),
      ).toBe(0);
      for (const path of [
        "/admin/configuration",
        "/admin/assistants",
        "/admin/collections",
        "/documents",
        "/admin/users",
        "/admin/audit-log",
      ]) {
        await page.goto(`${stack.websiteUrl}${path}`);
        await page.getByRole("textbox", { name: "Your question" }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/");
      }
      expect(watched.problems).toEqual([]);
      await page.close();
    });

    it("lets an administrator upload a document and watch it become ready; its HTML never runs in the chat", async () => {
      const watched = await as("admin", "/documents");
      const { page } = watched;
      await page.getByRole("heading", { name: "Ingested documents" }).waitFor();
      await page.locator("input[type=file]").setInputFiles({
        name: "lighthouse-policy.md",
        mimeType: "text/markdown",
        buffer: Buffer.from(
          [
            "# Lighthouse policy",
            "Every lighthouse keeper files a report on the fog horn each Tuesday.",
            '<img src="x" onerror="window.__pwned = 1"> <script>window.__pwned = 2</script>',
            "[a link](javascript:window.__pwned=3) and **the fog horn** is tested <b>weekly</b>.",
          ].join("\n\n"),
        ),
      });
      await page.getByRole("button", { name: "Upload 1 file" }).click();
      await page.locator("#root").getByText("Uploaded; ingesting").waitFor();
      const row = page.getByRole("row", { name: /lighthouse-policy/ });
      await row.getByText("Ready").waitFor({ timeout: 30_000 });
      await screenshot(page, "documents");
      await expectHealthy(watched);

      // Hostile HTML in the document and in the question stays text: nothing runs, nothing loads.
      await page.getByRole("link", { name: "Chat" }).click();
      const answer = await ask(
        page,
        'What about the fog horn? <img src=y onerror="window.__pwned=4">',
      );
      await answer.getByRole("link", { name: "Source 1" }).first().waitFor();
      expect(await page.evaluate("window.__pwned")).toBeUndefined();
      expect(await page.locator("#root img").count()).toBe(0);
      expect(await page.locator('#root a[href^="javascript:"]').count()).toBe(
        0,
      );
      expect(
        await page.getByText('<img src=y onerror="window.__pwned=4">').count(),
      ).toBeGreaterThan(0);
      await expectHealthy(watched);
      await page.close();
    });

    it("cites a passage at its place in the document, and downloads the original file for a reader of its collection", async () => {
      const watched = await as("admin", "/documents");
      const { page } = watched;
      await page.getByRole("heading", { name: "Ingested documents" }).waitFor();
      const manual = [
        "# Harbour manual",
        "Welcome aboard.",
        "## Safety",
        "The quartermaster inspects the lifebuoys on the quay every Thursday at dawn.",
        "## Tides",
        "Spring tides come twice a month.",
      ].join("\n\n");
      await page.locator("input[type=file]").setInputFiles({
        name: "harbour-manual.md",
        mimeType: "text/markdown",
        buffer: Buffer.from(manual),
      });
      await page.getByRole("button", { name: "Upload 1 file" }).click();
      const row = page.getByRole("row", { name: /harbour-manual/ });
      await row.getByText("Ready").waitFor({ timeout: 30_000 });
      // The table says what the file is: its name, type and size.
      await row.getByText("Markdown").waitFor();

      await page.getByRole("link", { name: "Chat" }).click();
      const answer = await ask(
        page,
        "When does the quartermaster inspect the lifebuoys?",
      );
      await answer.getByRole("link", { name: "Source 1" }).first().click();
      const source = answer.getByRole("button", {
        name: /^\[1\] Harbour manual · Harbour manual › Safety$/,
      });
      await expect
        .poll(() => source.getAttribute("aria-expanded"))
        .toBe("true");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        answer
          .getByRole("button", {
            name: "Download the original of Harbour manual",
          })
          .click(),
      ]);
      expect(download.suggestedFilename()).toBe("harbour-manual.md");
      const saved = await download.path();
      expect(readFileSync(saved!, "utf8")).toBe(manual);
      await screenshot(page, "citation-location");
      await expectHealthy(watched);
      await page.close();
    });

    it("lets an administrator evaluate k 5 → 1 against the current version, see hit@5 drop, and the quality gate refuse the save", async () => {
      // `npm start` saved the demo's evaluation set (DEMO_EVALUATION_SET) with the demo corpus.
      const call = apiCaller(stack.apiUrl);
      const { admin } = await demoTokens(stack);
      process.env.SEXTANT_QUALITY_GATE = "retrieval";
      try {
        const watched = await as("admin", "/admin/configuration");
        const { page } = watched;
        await page.getByRole("tab", { name: "Retrieval" }).click();
        await page.getByLabel("Passages per answer (k)").fill("1");
        await page.getByRole("button", { name: "Review and save (1)" }).click();
        const dialog = page.getByRole("dialog");
        await dialog.getByRole("button", { name: "Evaluate" }).click();
        const results = dialog.getByRole("table", {
          name: "Evaluation results",
        });
        const hit = results.getByRole("row", { name: /^hit@5 / });
        await hit.waitFor({ timeout: 60_000 });
        const [current, draft] = (
          await hit.getByRole("cell").allInnerTexts()
        ).map(Number);
        expect(draft).toBeLessThan(current);
        await expect.poll(() => hit.innerText()).toMatch(/−0\.\d+/);
        await screenshot(page, "evaluate-draft");
        await dialog.getByRole("button", { name: "Save" }).click();
        await dialog
          .getByText(
            /The quality gate refuses this save: on set 'State of the Union demo', the draft's hit@5 is/,
          )
          .first()
          .waitFor();
        // The refused save, once: evaluating saved nothing.
        expect(watched.problems).toEqual([
          expect.stringContaining("400 (Bad Request)"),
        ]);
        watched.problems.length = 0;
        await expectHealthy(watched);
        await dialog.getByRole("button", { name: "Cancel" }).click();
        await page.getByRole("button", { name: "Discard changes" }).click();
        // Nothing was saved: the next answer still cites five passages.
        expect(
          (await call("GET", "/admin/inference-config", { token: admin })).body
            .config.retrieval.k,
        ).toBe(5);
        await page.close();
      } finally {
        delete process.env.SEXTANT_QUALITY_GATE;
      }
    });

    it("lets an administrator change k with validation and a diff, and the next answer uses it", async () => {
      const watched = await as("admin");
      const { page } = watched;
      const before = await ask(
        page,
        "What did the president say about the economy and jobs?",
      );
      const sourcesBefore = await before
        .getByRole("button", { name: /^\[\d+\] / })
        .count();
      expect(sourcesBefore).toBeGreaterThan(2);

      await page.getByRole("link", { name: "Assistants" }).click();
      await page.getByRole("link", { name: "Default", exact: true }).click();
      await page.getByRole("tab", { name: "Retrieval" }).click();
      const k = page.getByLabel("Passages per answer (k)");
      await k.fill("-1");
      await page
        .locator("#root")
        .getByText("Some fields are invalid", { exact: false })
        .first()
        .waitFor();
      await screenshot(page, "config-editor-invalid");
      await k.fill("2");
      await page.getByRole("button", { name: "Review and save (1)" }).click();
      const dialog = page.getByRole("dialog");
      await dialog
        .getByRole("rowheader", { name: "config.retrieval.k" })
        .waitFor();
      await screenshot(page, "config-diff");
      await dialog.getByRole("button", { name: "Save" }).click();
      await page.getByText(/Version \d+, saved by admin/).waitFor();
      await screenshot(page, "config-editor");
      await expectHealthy(watched);

      await page.getByRole("button", { name: "Use dark mode" }).click();
      await screenshot(page, "config-editor-dark");
      await page.getByRole("button", { name: "Use light mode" }).click();

      await page.getByRole("link", { name: "Chat" }).click();
      await page
        .getByRole("link", {
          name: "What did the president say about the economy and jobs?",
        })
        .click();
      const after = await ask(page, "And what did he say about education?");
      expect(
        await after.getByRole("button", { name: /^\[\d+\] / }).count(),
      ).toBe(2);

      await page.getByRole("link", { name: "Audit log" }).click();
      await page.getByText("config.retrieval.k: 5 → 2").waitFor();
      await expectHealthy(watched);
      await page.getByRole("link", { name: "Users" }).click();
      await page.getByRole("row", { name: /user@/ }).waitFor();
      await expectHealthy(watched);
      await page.close();
    });

    it("lets an administrator try k in dev settings on their own messages, then reset it", async () => {
      const watched = await as("admin");
      const { page } = watched;
      await page
        .getByRole("button", { name: "Dev settings", exact: true })
        .click();
      // The tools panel: the only place on the chat page with configuration fields.
      const panel = page
        .locator("aside")
        .filter({ hasText: "Nobody else is affected until you save" });
      // On the configuration of the new chat's assistant: the one chosen, Default unless another is.
      await panel.getByText("the configuration of Default").waitFor();
      await page.getByLabel("Assistant").click();
      await page.getByRole("option", { name: /Recent addresses/ }).click();
      await panel.getByText("the configuration of Recent addresses").waitFor();
      await page.getByLabel("Assistant").click();
      await page.getByRole("option", { name: /Default/ }).click();
      await panel.getByText("the configuration of Default").waitFor();
      await panel.getByLabel("Passages per answer (k)").fill("1");
      await panel.getByText("(1)").waitFor(); // one changed field
      await expectHealthy(watched);
      const tried = await ask(
        page,
        "What did the president say about energy and oil?",
      );
      expect(
        await tried.getByRole("button", { name: /^\[\d+\] / }).count(),
      ).toBe(1);
      await panel.getByRole("button", { name: "Reset" }).click();
      const normal = await ask(page, "And about renewable energy?");
      expect(
        await normal.getByRole("button", { name: /^\[\d+\] / }).count(),
      ).toBeGreaterThan(1);
      expect(watched.problems).toEqual([]);
    });

    it("shows a conflict when someone else saved first, and re-applies the edit on the newer version", async () => {
      // The old address of the editor opens the Default assistant's.
      const watched = await as("admin", "/admin/configuration");
      const { page } = watched;
      await page.getByRole("tab", { name: "Retrieval" }).click();
      await page.getByLabel("History turns").fill("3");
      // Meanwhile another administrator saves a change to another field, through the API.
      const call = apiCaller(stack.apiUrl);
      const { admin } = await demoTokens(stack);
      const current = await call("GET", "/admin/inference-config", {
        token: admin,
      });
      const theirs = {
        ...current.body.config,
        guardrails: {
          ...current.body.config.guardrails,
          maxQuestionLength: 3000,
        },
      };
      const saved = await call("PUT", "/admin/inference-config", {
        token: admin,
        headers: { "If-Match": current.headers.get("etag")! },
        body: theirs,
      });
      expect(saved.status).toBe(200);

      await page.getByRole("button", { name: "Review and save (1)" }).click();
      await page
        .getByRole("dialog")
        .getByRole("button", { name: "Save" })
        .click();
      const conflict = page.getByRole("dialog", {
        name: "Someone else saved first",
      });
      await conflict.waitFor();
      // Chromium logs every 4xx response; this one is the conflict the test made.
      expect(watched.problems).toEqual([
        expect.stringContaining("412 (Precondition Failed)"),
      ]);
      watched.problems.length = 0;
      await expectHealthy(watched);
      await conflict.getByRole("button", { name: "Keep my changes" }).click();
      // Rebased: only my field differs from the newer version, and theirs is kept.
      await page.getByRole("button", { name: "Review and save (1)" }).click();
      const review = page.getByRole("dialog");
      await review
        .getByRole("rowheader", { name: "config.historyTurns" })
        .waitFor();
      await review.getByRole("button", { name: "Save" }).click();
      await page
        .getByText(
          new RegExp(`Version ${saved.body.version + 1}, saved by admin`),
        )
        .waitFor();
      const after = await call("GET", "/admin/inference-config", {
        token: admin,
      });
      expect(after.body.config.historyTurns).toBe(3);
      expect(after.body.config.guardrails.maxQuestionLength).toBe(3000);
      expect(watched.problems).toEqual([]);
    });

    it("shows the error of an answer that broke mid-stream, keeps none of it, and puts the question back", async () => {
      // A model server that sends one token, then drops the connection (a crashed server).
      const model = createServer((req, res) => {
        req.resume();
        res.writeHead(200, { "Content-Type": "text/event-stream" });
        res.write(openAiStreamChunk("Half-written 7f3e "));
        setTimeout(() => res.destroy(), 50);
      });
      model.listen(0, "127.0.0.1");
      await once(model, "listening");
      const call = apiCaller(stack.apiUrl);
      const { admin } = await demoTokens(stack);
      const previous = await saveAnswerModel(call, admin, {
        provider: "openai-compatible",
        endpoint: `http://127.0.0.1:${(model.address() as { port: number }).port}/v1`,
        modelId: "breaks-mid-answer",
      });
      try {
        const watched = await as("user");
        const { page } = watched;
        const question = "When is the fog horn tested?";
        await page
          .getByRole("textbox", { name: "Your question" })
          .fill(question);
        await page.getByRole("button", { name: "Send" }).click();
        const alert = page.getByTestId("answer-error");
        await alert.waitFor({ timeout: 30_000 });
        expect(await alert.innerText()).toMatch(
          /The question was not answered[\s\S]*Your question is back in the prompt/,
        );
        await expect(
          page.getByRole("textbox", { name: "Your question" }).inputValue(),
        ).resolves.toBe(question);
        // Nothing half-written on the page or in the conversation.
        expect(await page.getByText("Half-written 7f3e").count()).toBe(0);
        const sessionId = new URL(page.url()).pathname.split("/").pop()!;
        const { user } = await demoTokens(stack);
        const stored = await call("GET", `/sessions/${sessionId}/messages`, {
          token: user,
        });
        expect(stored.body.items).toEqual([]);
        expect(watched.problems).toEqual([]);
      } finally {
        await saveInferenceConfig(call, admin, () => previous);
        model.close();
      }
    });

    /** The years of an answer's sources ("[1] State of the Union — George W. Bush, 2002" is 2002). */
    const sourceYears = async (answer: Awaited<ReturnType<typeof ask>>) =>
      (
        await answer.getByRole("button", { name: /^\[\d+\] / }).allInnerTexts()
      ).map((t) => Number(/, (\d{4})\b/.exec(t)?.[1] ?? NaN));

    it("lets an analyst pick the assistant for recent addresses; a user is offered none and never gets a source from the collection only analysts read", async () => {
      const question =
        "What did the president say about the September 11 attacks?";
      const analyst = await as("analyst");
      await analyst.page.getByLabel("Assistant").click();
      await analyst.page
        .getByRole("option", { name: /Recent addresses/ })
        .click();
      await screenshot(analyst.page, "assistant-picker");
      const recent = await ask(analyst.page, question);
      await analyst.page.getByText("With Recent addresses").waitFor();
      const recentYears = await sourceYears(recent);
      expect(recentYears.length).toBeGreaterThan(0);
      expect(
        recentYears.every((y) => y >= 2001),
        String(recentYears),
      ).toBe(true);
      await expectHealthy(analyst);

      const user = await as("user");
      await user.page.getByRole("textbox", { name: "Your question" }).waitFor();
      expect(await user.page.getByLabel("Assistant").count()).toBe(0);
      const answer = await ask(user.page, question);
      const years = await sourceYears(answer);
      expect(
        years.every((y) => y <= 2000),
        String(years),
      ).toBe(true);
      expect(await answer.innerText()).not.toMatch(/\b20(0[1-9]|1\d|2[01])\b/);
      await expectHealthy(user);
    });

    it("signs carol in through Example Corp, the stand-in directory, with only what Analysts may see; dave, mapped to Administrators, sees her groups read-only", async () => {
      const person = (name: string) =>
        stack.directoryPeople.find((p) => p.username === name)!;
      const carol = await signInThroughDirectory(
        browser,
        stack.websiteUrl,
        person("carol"),
        "ExampleCorp",
      );
      opened.push(carol);
      // Analysts' assistant, and no administration: example-marketing maps to nothing.
      expect(
        await carol.page.getByRole("link", { name: "Users" }).count(),
      ).toBe(0);
      await carol.page.getByLabel("Assistant").click();
      await carol.page
        .getByRole("option", { name: /Recent addresses/ })
        .click();
      const recent = await ask(
        carol.page,
        "What did the president say about the September 11 attacks?",
      );
      const years = await sourceYears(recent);
      expect(years.length).toBeGreaterThan(0);
      expect(
        years.every((y) => y >= 2001),
        String(years),
      ).toBe(true);
      await expectHealthy(carol);

      const dave = await signInThroughDirectory(
        browser,
        stack.websiteUrl,
        person("dave"),
        "ExampleCorp",
      );
      opened.push(dave);
      await dave.page.getByRole("link", { name: "Users" }).click();
      const row = dave.page.getByRole("row", { name: /ExampleCorp_carol/ });
      await row.getByText("Analysts", { exact: true }).waitFor();
      await screenshot(dave.page, "users-federated");
      await row
        .getByRole("button", { name: "Actions for ExampleCorp_carol" })
        .click();
      expect(
        await dave.page
          .getByRole("menuitem", { name: "Make administrator" })
          .getAttribute("aria-disabled"),
      ).toBe("true");
      await expectHealthy(dave);
    });

    it("lets an administrator create a collection and change who reads it, and see assistants with what they search", async () => {
      const watched = await as("admin");
      const { page } = watched;
      await page.getByRole("link", { name: "Collections" }).click();
      await page
        .getByRole("row", { name: /State of the Union 2001–2021/ })
        .getByText("Analysts")
        .waitFor();
      await page.getByRole("button", { name: "Create collection" }).click();
      const create = page.getByRole("dialog");
      await create.getByLabel("Name").fill("Board papers");
      await create.getByLabel("Groups that may read it").fill("Board");
      await create.getByRole("button", { name: "Create" }).click();
      const row = page.getByRole("row", { name: /Board papers/ });
      await row.getByText("Board", { exact: true }).waitFor();
      await row
        .getByRole("button", { name: "Actions for Board papers" })
        .click();
      await page
        .getByRole("menuitem", { name: "Edit name and readers" })
        .click();
      const edit = page.getByRole("dialog");
      await edit.getByLabel("Groups that may read it").fill("Board, Audit");
      await edit.getByRole("button", { name: "Save" }).click();
      await row.getByText("Board, Audit", { exact: true }).waitFor();
      await screenshot(page, "collections");
      await expectHealthy(watched);

      await page.getByRole("link", { name: "Assistants" }).click();
      const recent = page.getByRole("row", { name: /Recent addresses/ });
      await recent.getByText("State of the Union 2001–2021").waitFor();
      await recent.getByText("Analysts").waitFor();
      await screenshot(page, "assistants");
      await page.getByRole("link", { name: "Recent addresses" }).click();
      await page.getByLabel("Groups that may use it").waitFor();
      expect(await page.getByLabel("Groups that may use it").inputValue()).toBe(
        "Analysts",
      );
      await expectHealthy(watched);
    });

    it("lets an administrator add a denied topic, and a user's question on it gets the topic's message with no sources", async () => {
      const watched = await as("admin", "/admin/configuration");
      const { page } = watched;
      await page.getByRole("tab", { name: "Guardrails" }).click();
      await page.getByRole("button", { name: "Add a denied topic" }).click();
      await page.getByLabel("Topic name").fill("Investment advice");
      await page
        .getByLabel("Example questions")
        .fill(
          "Which stocks should I buy?\nShould I invest my savings in bitcoin?",
        );
      const message =
        "I can't give investment advice: please ask a licensed adviser.";
      await page.getByLabel("Message").fill(message);
      await page.getByRole("button", { name: /^Review and save/ }).click();
      const dialog = page.getByRole("dialog");
      await dialog
        .getByRole("rowheader", { name: "config.guardrails.deniedTopics" })
        .waitFor();
      await dialog.getByRole("button", { name: "Save" }).click();
      await page.getByText(/Version \d+, saved by admin/).waitFor();
      await screenshot(page, "denied-topics");
      await expectHealthy(watched);
      await page.close();

      const asUser = await as("user");
      const answer = await ask(asUser.page, "What stocks should I buy now?");
      await answer.getByText(message).waitFor();
      expect(
        await answer.getByRole("button", { name: /^\[\d+\] / }).count(),
      ).toBe(0);
      // Other questions are answered from the documents as before.
      const other = await ask(
        asUser.page,
        "What did the president say about the Soviet Union?",
      );
      expect(
        await other.getByRole("button", { name: /^\[\d+\] / }).count(),
      ).toBeGreaterThan(0);
      await expectHealthy(asUser);
      await asUser.page.close();
      const audit = await apiCaller(stack.apiUrl)(
        "GET",
        "/admin/audit-log?limit=5",
        {
          token: (await demoTokens(stack)).admin,
        },
      );
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({
          actor: "user",
          action: "guardrail.intervened",
          detail: expect.objectContaining({ topic: "Investment advice" }),
        }),
      );
    });

    it("lets an administrator lower a user's quota: the user's next question shows the limit, and the Usage page shows that user's answers", async () => {
      const user = await as("user");
      await ask(user.page, "What did the president say about tariffs?");

      const admin = await as("admin", "/admin/usage");
      const { page } = admin;
      await page.getByRole("heading", { name: "Quotas" }).waitFor();
      await page.getByRole("button", { name: "Add override" }).click();
      await page.getByLabel("Override 1 is for").first().click();
      await page.getByRole("option", { name: "User" }).click();
      await page.getByLabel("Override 1 name").fill("user");
      await page.getByLabel("Questions a day for user").fill("1");
      await page.getByRole("button", { name: "Save quotas" }).click();
      await page.getByText(/^Saved as version \d+\.$/).waitFor();

      await user.page
        .getByRole("textbox", { name: "Your question" })
        .fill("And about the budget?");
      await user.page.getByRole("button", { name: "Send" }).click();
      await user.page
        .getByTestId("answer-error")
        .getByText(/your daily limit: it resets at midnight UTC/)
        .waitFor();
      await screenshot(user.page, "quota-reached");

      await page
        .getByLabel("Group usage by")
        .getByText("User", { exact: true })
        .click();
      const row = page.getByRole("row", { name: /^user\b/ });
      await row.waitFor();
      expect(
        Number(await row.getByRole("cell").nth(0).innerText()),
      ).toBeGreaterThan(0);
      await screenshot(page, "usage");
      await expectHealthy(admin);

      // Leave no quota for the tests after this one.
      await page.getByRole("button", { name: "Remove override user" }).click();
      await page.getByRole("button", { name: "Save quotas" }).click();
      await page.getByText(/^Saved as version \d+\.$/).waitFor();
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
