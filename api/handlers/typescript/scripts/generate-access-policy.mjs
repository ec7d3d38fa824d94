// Generates src/generated/access-policy.ts from the parsed API spec: for each operation, the
// Cognito group its `@requiresGroup` marker names. The authorization interceptor enforces it.
// usage: node scripts/generate-access-policy.mjs <parsed-spec.json> <out.ts>
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const [specPath, outPath] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specPath, "utf8"));
const camel = (id) => id.charAt(0).toLowerCase() + id.slice(1);

const operations = [];
for (const [path, methods] of Object.entries(spec.paths ?? {})) {
  for (const [method, op] of Object.entries(methods)) {
    if (!op?.operationId) continue;
    operations.push({
      operationId: camel(op.operationId),
      method: method.toUpperCase(),
      path,
      requiredGroup: op["x-sextant-requires-group"] ?? null,
      responses: Object.keys(op.responses ?? {}).map(Number),
    });
  }
}
operations.sort((a, b) => a.operationId.localeCompare(b.operationId));

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(
  outPath,
  `// Generated from the API model by scripts/generate-access-policy.mjs. Do not edit.
/** Each operation's route, declared status codes and the Cognito group it requires (null: any signed-in user). */
export const ACCESS_POLICY = ${JSON.stringify(Object.fromEntries(operations.map((o) => [o.operationId, o])), null, 2)} as const;
`,
);
