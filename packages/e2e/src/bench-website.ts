import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { percentile, startEphemeralStack, WEBSITE_DIST } from "@sextant/local";
import { findChromium, launchChromium } from "./browser.js";
import { signIn } from "./website.js";

/** Evaluated in the page (browser code, so a string: this package compiles without DOM types). */
const LARGEST_CONTENTFUL_PAINT = `new Promise((resolve) =>
  new PerformanceObserver((list) => resolve(list.getEntries().at(-1).startTime))
    .observe({ type: "largest-contentful-paint", buffered: true }))`;

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/**
 * What a first visit downloads before the app can run: the entry script and every module it
 * preloads, per `index.html` (lazy chunks — administration, dev settings, the markdown renderer
 * — are not counted), gzipped as a CDN would serve them.
 */
export function initialAssets(dist = WEBSITE_DIST) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const refs = (pattern: RegExp) =>
    [...html.matchAll(pattern)].map((m) => m[1]);
  const js = [
    ...refs(/<script[^>]+src="([^"]+)"/g),
    ...refs(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ];
  const css = refs(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g);
  const gz = (files: string[]) =>
    files.reduce(
      (sum, f) =>
        sum + gzipSync(readFileSync(join(dist, f.replace(/^\//, "")))).length,
      0,
    );
  return { jsFiles: js.length, jsGzipKb: kb(gz(js)), cssGzipKb: kb(gz(css)) };
}

/** One Vite manifest entry: its file and the chunks it imports statically. */
interface ManifestChunk {
  readonly file: string;
  readonly imports?: readonly string[];
}

/**
 * What a first visit in `language` downloads before its first render: the initial JavaScript above,
 * plus what `startI18n` loads beside the runtime configuration (the language's catalogue and, for
 * languages other than English, Cloudscape's messages and provider), per Vite's manifest.
 */
export function initialAssetsIn(language: string, dist = WEBSITE_DIST) {
  const manifest = JSON.parse(
    readFileSync(join(dist, ".vite", "manifest.json"), "utf8"),
  ) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  const add = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const i of chunk.imports ?? []) add(i);
  };
  const keys = Object.keys(manifest);
  add("index.html");
  add(`src/locales/${language}.json`);
  if (language !== "en")
    for (const key of keys)
      if (
        key.endsWith(`/i18n/messages/all.${language}.js`) ||
        key.endsWith("@cloudscape-design/components/i18n/index.js")
      )
        add(key);
  const gz = [...files].reduce(
    (sum, f) => sum + gzipSync(readFileSync(join(dist, f))).length,
    0,
  );
  return { language, jsFiles: files.size, jsGzipKb: kb(gz) };
}

/**
 * Largest contentful paint of the chat page on the local stack in headless Chromium: signed in
 * once, then `runs` fresh loads of a new chat and of a conversation with a cited answer (median).
 */
export async function benchWebsite(runs = 7) {
  const chromium = findChromium();
  if (!chromium)
    throw new Error(
      "The website benchmark needs Chromium: apt-get install chromium",
    );
  const stack = await startEphemeralStack(WEBSITE_DIST, {
    seedDemoCorpus: true,
  });
  const browser = await launchChromium(chromium);
  try {
    const { page } = await signIn(
      browser,
      stack.websiteUrl,
      stack.users.find((u) => u.username === "user")!,
    );
    await page
      .getByRole("textbox", { name: "Your question" })
      .fill("What did the president say about energy?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("group", { name: /^Sextant at / }).waitFor();
    const conversation = new URL(page.url()).pathname;

    const lcp = async (path: string, ready: string) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        await page.goto(`${stack.websiteUrl}${path}`);
        await page.getByText(ready).first().waitFor();
        samples.push(await page.evaluate<number>(LARGEST_CONTENTFUL_PAINT));
      }
      return {
        medianMs: Math.round(percentile(samples, 50)),
        maxMs: Math.round(Math.max(...samples)),
        runs,
      };
    };
    return {
      ...initialAssets(),
      byLanguage: ["en", "de", "ja"].map((l) => initialAssetsIn(l)),
      lcpNewChat: await lcp("/", "Ask about your documents"),
      lcpConversation: await lcp(conversation, "Sources"),
      // The same page in German: its catalogue and Cloudscape's messages load before the first render.
      lcpNewChatGerman: await page
        .evaluate('localStorage.setItem("sextant.language", "de")')
        .then(() => lcp("/", "Fragen Sie zu Ihren Dokumenten")),
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}
