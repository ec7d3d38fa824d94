// Generates src/generated/operations.ts from the parsed API spec: every per-operation fact that
// code needs, declared once in the model — its route and declared statuses, the Cognito group its
// `@requiresGroup` names, whether it `@streaming`, the resources it `@uses`, and the module of its
// handler (its Lambda bundle's entry). The authorization interceptor, the CDK app and the local
// stack all read this table; none keeps a list of operation names of its own.
// usage: node scripts/generate-operations.mjs <parsed-spec.json> <out.ts>
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const [specPath, outPath] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specPath, "utf8"));
const camel = (id) => id.charAt(0).toLowerCase() + id.slice(1);
const kebab = (id) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const operations = [];
for (const [path, methods] of Object.entries(spec.paths ?? {})) {
  for (const [method, op] of Object.entries(methods)) {
    if (!op?.operationId) continue;
    const operationId = camel(op.operationId);
    operations.push({
      operationId,
      method: method.toUpperCase(),
      path,
      module: kebab(operationId),
      requiredGroup: op["x-sextant-requires-group"] ?? null,
      streaming: op["x-sextant-streaming"] === true,
      uses: (op["x-sextant-uses"] ?? "").split(",").filter(Boolean),
      responses: Object.keys(op.responses ?? {}).map(Number),
    });
  }
}
operations.sort((a, b) => a.operationId.localeCompare(b.operationId));
const capabilities = [...new Set(operations.flatMap((o) => o.uses))].sort();

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(
  outPath,
  `// Generated from the API model by scripts/generate-operations.mjs. Do not edit.

/** A resource beyond the database that an operation's handler calls (\`@uses\` in the model). */
export type Capability = ${capabilities.map((c) => JSON.stringify(c)).join(" | ") || "never"};

/** What the model declares of one operation. */
export interface OperationFacts {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** Its handler's module: \`src/<module>.ts\`, bundled to \`dist/lambda/<module>/index.js\`. */
  readonly module: string;
  /** The Cognito group it requires (null: any signed-in user). */
  readonly requiredGroup: string | null;
  /** Its answer streams (the module exports \`stream\`). */
  readonly streaming: boolean;
  readonly uses: readonly Capability[];
  readonly responses: readonly number[];
}

/** Every operation of the model, by operationId. */
export const OPERATIONS = ${JSON.stringify(Object.fromEntries(operations.map((o) => [o.operationId, o])), null, 2)} as const satisfies Record<string, OperationFacts>;
`,
);
