// @vitest-environment node
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The website's own installs (their package.json files are not exported, so not resolvable).
const packageDir = (name: string) =>
  join(__dirname, "..", "node_modules", name);

/** Every design-token variable the chat components read (`var(--name-hash`). */
function chatTokens(): string[] {
  const root = packageDir("@cloudscape-design/chat-components");
  const found = new Set<string>();
  for (const entry of readdirSync(root, {
    recursive: true,
    withFileTypes: true,
  }))
    if (entry.name.endsWith(".css"))
      for (const m of readFileSync(
        join(entry.parentPath, entry.name),
        "utf8",
      ).matchAll(/var\((--[a-z0-9-]+-[a-z0-9]{6})\b/g))
        found.add(m[1]);
  return [...found].sort();
}

/** The design tokens the components package defines (each theme's value on body and .awsui-dark-mode). */
const componentTokens = () =>
  new Set(
    [
      ...readFileSync(
        join(
          packageDir("@cloudscape-design/components"),
          "internal/base-theme/styles.scoped.css",
        ),
        "utf8",
      ).matchAll(/(--[a-z0-9-]+-[a-z0-9]{6}):/g),
    ].map((m) => m[1]),
  );

/** The bridge: each token the chat components read, pointed at the components' token of that name. */
function expectedBridge(): string[] {
  const defined = componentTokens();
  const byName = new Map([...defined].map((t) => [t.slice(0, -7), t]));
  return chatTokens()
    .filter((t) => !defined.has(t) && byName.has(t.slice(0, -7)))
    .map((t) => `  ${t}: var(${byName.get(t.slice(0, -7))});`);
}

describe("the chat components' design tokens", () => {
  it("are all defined: by the components package, or bridged in chat-tokens.css (so dark mode reaches the bubbles)", () => {
    const css = readFileSync(join(__dirname, "chat-tokens.css"), "utf8");
    const bridged = css.split("\n").filter((l) => l.startsWith("  --"));
    // When the packages move, this shows the lines chat-tokens.css must hold.
    expect(bridged).toEqual(expectedBridge());
  });
});
