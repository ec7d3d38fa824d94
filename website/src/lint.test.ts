// @vitest-environment node
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: `${__dirname}/..` });

/** The i18next findings of `source`, linted as if it were App.tsx with the website's own rules. */
async function literalStrings(source: string) {
  const [result] = await eslint.lintText(source, {
    filePath: `${__dirname}/App.tsx`,
  });
  return result.messages
    .filter((m) => m.ruleId === "i18next/no-literal-string")
    .map((m) => m.line);
}

// The first lint builds the TypeScript program of the whole website (type-aware rules): seconds on a cold, busy machine.
const LINT_TIMEOUT = 60_000;

describe("the lint rule against hard-coded text", () => {
  it(
    "fails on a literal in JSX text, in a label, and in a template",
    async () => {
      expect(
        await literalStrings(
          [
            'import Box from "@cloudscape-design/components/box";',
            "export function A({ n }: { n: number }) {",
            "  return (",
            "    <Box>",
            "      Documents ready",
            '      <Box variant="p" aria-label="Close the panel" />',
            "      {`${n} new files`}",
            "    </Box>",
            "  );",
            "}",
          ].join("\n"),
        ),
      ).toEqual([4, 6, 7]);
    },
    LINT_TIMEOUT,
  );

  it(
    "passes text from the catalogue, attributes that never reach a person, and the product's name",
    async () => {
      expect(
        await literalStrings(
          [
            'import Box from "@cloudscape-design/components/box";',
            'import { useTranslation } from "react-i18next";',
            "export function A() {",
            "  const { t } = useTranslation();",
            '  return <Box variant="p" textAlign="center" data-testid="x">{t("app.loading")} Sextant</Box>;',
            "}",
          ].join("\n"),
        ),
      ).toEqual([]);
    },
    LINT_TIMEOUT,
  );
});
