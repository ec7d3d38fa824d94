/**
 * Whether a test may rewrite the generated part of a doc (`UPDATE_COST_DOC=1`, locally). In CI it
 * may not: a test that rewrites what it checks could never fail there.
 */
export function mayUpdateDocs(
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (env.UPDATE_COST_DOC !== "1") return false;
  if (env.CI)
    throw new Error(
      "UPDATE_COST_DOC is refused in CI: regenerate the docs locally (UPDATE_COST_DOC=1 npx vitest run) and commit them.",
    );
  return true;
}
