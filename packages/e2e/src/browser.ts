import { execFileSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium on the PATH (`apt-get install chromium`); undefined when it is not installed. */
export function findChromium(): string | undefined {
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      return (
        execFileSync("which", [name], { encoding: "utf8" }).trim() || undefined
      );
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/** Launches headless Chromium without any network besides loopback-bound pages (no browser download). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
