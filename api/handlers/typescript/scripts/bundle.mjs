// Builds one Lambda bundle per operation (`npx projen package`): dist/lambda/<module>/index.mjs,
// minified ES modules, tree-shaken. What a handler only needs on first use (the AWS SDK clients of
// its services, the SDK's credential providers) is imported dynamically and becomes a chunk beside
// index.mjs, loaded when first used rather than at the cold start. Source maps and each bundle's
// esbuild metafile go to dist/sourcemaps/<module>/, out of the deployed asset; third-party
// licences to *.LEGAL.txt beside the code. The sizes go to dist/bundle-sizes.json, which the
// cold-start benchmark (`npm run bench`) reads and holds to its budget.
//
// The workspace packages are compiled by tsc to CommonJS, which esbuild cannot tree-shake; the
// bundles are built from their TypeScript sources instead, so a handler carries only what it
// reaches: @sextant/core names them under the `sextant-source` export condition, the generated
// runtime (whose package.json PDK writes) through the plugin below. The AWS SDK is taken in its
// ES module build (`module`).
import { build } from "esbuild";
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

/** The generated runtime's entry point, `lib/index.js`, as its TypeScript source. */
const runtimeSource = {
  name: "runtime-source",
  setup(b) {
    b.onResolve({ filter: /^@sextant\/api-typescript-runtime$/ }, () => ({
      path: join(dirname(require.resolve("@sextant/api-typescript-runtime/package.json")), "src", "index.ts"),
    }));
  },
};

// The document extractors' engines: the API never extracts (ingestion does, in its own
// functions), but a dynamic import in code that tree-shaking drops still makes a chunk.
const LEFT_OUT = [
  "unpdf",
  "html-to-text",
  "mammoth",
  "exceljs",
  "csv-parse",
  "mailparser",
  "fflate",
  "fast-xml-parser",
  "image-size",
  "pngjs",
  "tesseract.js",
];

const dist = join(root, "dist");
const lambda = join(dist, "lambda");
const maps = join(dist, "sourcemaps");
rmSync(lambda, { recursive: true, force: true });
rmSync(maps, { recursive: true, force: true });

const modules = readdirSync(join(root, "src"))
  .filter((f) => f.endsWith(".ts") && f !== "index.ts")
  .map((f) => basename(f, ".ts"));

const sizes = {};
await Promise.all(
  modules.map(async (module) => {
    const outdir = join(lambda, module);
    const { metafile } = await build({
      entryPoints: { index: join(root, "src", `${module}.ts`) },
      outdir,
      outExtension: { ".js": ".mjs" },
      chunkNames: "[name]-[hash]",
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node22",
      mainFields: ["module", "main"],
      minify: true,
      sourcemap: "external",
      legalComments: "external",
      metafile: true,
      logLevel: "warning",
      // With custom conditions esbuild drops its default `module` one: named again.
      conditions: ["sextant-source", "module"],
      plugins: [runtimeSource],
      external: LEFT_OUT,
      // CommonJS dependencies (pg, Powertools) call require() for Node's own modules.
      banner: { js: 'import{createRequire as __sextantRequire}from"node:module";const require=__sextantRequire(import.meta.url);' },
    });
    mkdirSync(join(maps, module), { recursive: true });
    // For `npx esbuild-visualizer` or esbuild's analyzer: what each byte is.
    writeFileSync(join(maps, module, "metafile.json"), JSON.stringify(metafile));
    const outputs = Object.fromEntries(
      Object.entries(metafile.outputs).map(([file, output]) => [relative(outdir, file), output]),
    );
    for (const name of Object.keys(outputs))
      if (name.endsWith(".map")) renameSync(join(outdir, name), join(maps, module, name));
    const code = Object.entries(outputs).filter(([name]) => name.endsWith(".mjs"));
    // Left out on purpose, so nothing that remains may import them.
    for (const [name, { imports }] of code)
      for (const i of imports.filter((i) => LEFT_OUT.includes(i.path)))
        throw new Error(`${module}/${name} imports ${i.path}, which the API bundles leave out`);
    // What loads at the cold start: index.mjs and the chunks it imports statically. The rest
    // (dynamic imports: credential providers the Lambda environment never needs, parsers) loads
    // on first use, if ever.
    const atInit = new Set();
    const visit = (name) => {
      if (atInit.has(name)) return;
      atInit.add(name);
      for (const i of outputs[name].imports)
        if (i.kind === "import-statement" && !i.external) visit(relative(outdir, i.path));
    };
    visit("index.mjs");
    const bytes = (names) => names.reduce((sum, name) => sum + outputs[name].bytes, 0);
    sizes[module] = { atInitBytes: bytes([...atInit]), allBytes: bytes(code.map(([name]) => name)) };
  }),
);
const sorted = Object.fromEntries(Object.entries(sizes).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(join(dist, "bundle-sizes.json"), `${JSON.stringify(sorted, null, 2)}\n`);
for (const [module, { atInitBytes, allBytes }] of Object.entries(sorted))
  console.log(`${module.padEnd(34)} ${Math.round(atInitBytes / 1024).toString().padStart(5)} KB at init, ${Math.round(allBytes / 1024).toString().padStart(5)} KB in all`);
