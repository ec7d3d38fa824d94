import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusStats, ingestFiles } from "./ingest";
import { refreshLexemeStats } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { retrieveHybrid } from "../retrieval/retrieve-hybrid";

/** A one-page PDF with the given text, built byte by byte (offsets in the xref must be exact). */
function pdfWithText(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    "<< /Title (Harbour report) >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets = objects.map((o, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

const embedder = new LocalEmbedder();
const retrieval = {
  k: 3,
  vectorWeight: 0.5,
  textWeight: 1,
  rrfK: 60,
  collections: "all" as const,
};
let dir: string;
let store: OpenDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-ingest-"));
  const docs = join(dir, "docs");
  const fs = await import("fs");
  fs.mkdirSync(join(docs, "nested"), { recursive: true });
  writeFileSync(
    join(docs, "1862_abraham_lincoln.txt"),
    "The emancipation of slaves is proposed.\n\nCompensation for the states is offered.",
  );
  writeFileSync(
    join(docs, "rivers.md"),
    "# Rivers and canals\n\nThe canal connects the lakes to the sea. Barges carry grain.",
  );
  writeFileSync(
    join(docs, "nested", "budget.html"),
    "<html><head><title>Budget &amp; debt</title><script>alert(1)</script></head><body><p>The public debt fell by a third.</p></body></html>",
  );
  writeFileSync(
    join(docs, "harbour.pdf"),
    pdfWithText("The harbour was dredged for larger ships."),
  );
  writeFileSync(join(docs, "broken.pdf"), "not a pdf at all");
  // A file whose name lies about its contents.
  writeFileSync(join(docs, "image.png"), "not an image");
  store = await openDatabase(undefined, "");
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("ingestFiles against embedded Postgres (PGlite + pgvector)", () => {
  it("ingests .txt, .md, .html and .pdf recursively, each named by its folder and path, and reports the files it cannot read", async () => {
    const summary = await ingestFiles(store.db, embedder, [join(dir, "docs")]);
    expect(summary).toMatchObject({
      added: 4,
      updated: 0,
      unchanged: 0,
      failed: 2,
    });
    expect(summary.failures).toEqual([
      {
        source: "docs/broken.pdf",
        error: expect.stringContaining(
          "its contents are text, not what .pdf holds",
        ),
      },
      {
        source: "docs/image.png",
        error: expect.stringContaining(
          "its contents are text, not what .png holds",
        ),
      },
    ]);
    const { rows: sources } = await store.db.query<{ source: string }>(
      "SELECT source FROM documents ORDER BY source",
    );
    expect(sources.map((r) => r.source)).toEqual([
      "docs/1862_abraham_lincoln.txt",
      "docs/broken.pdf",
      "docs/harbour.pdf",
      "docs/image.png",
      "docs/nested/budget.html",
      "docs/rivers.md",
    ]);
    expect(await corpusStats(store.db)).toEqual({
      documents: 4,
      chunks: summary.chunks,
    });
    const { rows } = await store.db.query<{
      title: string;
      status: string;
      error: string | null;
    }>("SELECT title, status, error FROM documents ORDER BY title");
    expect(rows.map((r) => [r.title, r.status])).toEqual([
      ["1862 abraham lincoln", "ready"],
      // Failures are recorded for the documents API, with the reason.
      ["Broken", "failed"],
      ["Budget & debt", "ready"],
      ["Harbour report", "ready"],
      ["Image", "failed"],
      ["Rivers and canals", "ready"],
    ]);
    expect(rows[1].error).toBeTruthy();
  });

  it("never indexes script content from HTML", async () => {
    const { rows } = await store.db.query(
      "SELECT 1 FROM chunks WHERE content LIKE '%alert%'",
    );
    expect(rows).toEqual([]);
  });

  it("leaves the planner statistics of the tables retrieval reads fresh (a one-row table left unanalysed slowed some plans 9x)", async () => {
    const { rows } = await store.db.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables
       WHERE relname IN ('chunks', 'documents', 'lexeme_stats', 'corpus_totals') AND last_analyze IS NOT NULL
       ORDER BY relname`,
    );
    expect(rows.map((r) => r.relname)).toEqual([
      "chunks",
      "corpus_totals",
      "documents",
      "lexeme_stats",
    ]);
  });

  it("leaves no entries queued in the full-text index (each search would read through them)", async () => {
    // What is left to merge after the ingest: nothing (the ingest queued some, as GIN does).
    const { rows } = await store.db.query<{ pages: number }>(
      "SELECT gin_clean_pending_list('chunks_tsv_gin')::int AS pages",
    );
    expect(rows[0].pages).toBe(0);
  });

  it("refreshes the ranking statistics as a user who does not own the tables, as on AWS", async () => {
    // The application user on Aurora: data privileges only (infra's vector-store grants).
    await store.db.query(
      `CREATE ROLE app_only NOLOGIN;
       GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_only`,
    );
    await store.db.transaction(async (tx) => {
      await tx.query("SET LOCAL ROLE app_only");
      await refreshLexemeStats(tx);
    });
    const { rows } = await store.db.query<{ chunks: number }>(
      "SELECT chunks FROM corpus_totals",
    );
    expect(rows[0].chunks).toBe((await corpusStats(store.db)).chunks);
  });

  it("writes nothing when re-ingesting unchanged files", async () => {
    const before = await store.db.query(
      "SELECT id, updated_at FROM documents ORDER BY id",
    );
    const summary = await ingestFiles(store.db, embedder, [join(dir, "docs")]);
    expect(summary).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 4,
      chunks: 0,
    });
    expect(
      (await store.db.query("SELECT id, updated_at FROM documents ORDER BY id"))
        .rows,
    ).toEqual(before.rows);
  });

  it("replaces a changed document's chunks in one transaction, leaving no duplicates", async () => {
    writeFileSync(
      join(dir, "docs", "rivers.md"),
      "# Rivers and canals\n\nThe new canal opened in spring.",
    );
    const summary = await ingestFiles(store.db, embedder, [join(dir, "docs")]);
    expect(summary).toMatchObject({ updated: 1, unchanged: 3 });
    const { rows } = await store.db.query<{ content: string }>(
      "SELECT c.content FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.title = 'Rivers and canals'",
    );
    expect(rows.map((r) => r.content)).toEqual([
      "Rivers and canals. The new canal opened in spring.",
    ]);
  });

  it("starts no new document when aborted; the rerun ends with the counts of one clean run", async () => {
    const other = await openDatabase(undefined, "");
    try {
      const controller = new AbortController();
      const first = await ingestFiles(other.db, embedder, [join(dir, "docs")], {
        signal: controller.signal,
        concurrency: 1,
        onProgress: (p) => p.done === 2 && controller.abort(),
      });
      expect(first.added + first.failed).toBe(2); // the second file is the broken PDF
      await ingestFiles(other.db, embedder, [join(dir, "docs")]);
      expect(await corpusStats(other.db)).toEqual(await corpusStats(store.db));
    } finally {
      await other.close();
    }
  });
});

describe("retrieveHybrid", () => {
  it("finds the passage for a question and returns source, chunk id, score and text", async () => {
    const results = await retrieveHybrid(
      store.db,
      embedder,
      "What did Lincoln propose about emancipation?",
      retrieval,
    );
    expect(results[0]).toMatchObject({
      source: "docs/1862_abraham_lincoln.txt",
      title: "1862 abraham lincoln",
    });
    expect(results[0].text).toContain("emancipation");
    expect(results[0].chunkId).toMatch(/^[0-9a-f-]{36}$/);
    expect(results[0].score).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(3);
  });

  it("matches the document title, so a question naming the year finds that document", async () => {
    const [top] = await retrieveHybrid(store.db, embedder, "1862", retrieval);
    expect(top.title).toBe("1862 abraham lincoln");
  });

  it("finds text extracted from a PDF", async () => {
    const [top] = await retrieveHybrid(
      store.db,
      embedder,
      "dredged harbour",
      retrieval,
    );
    expect(top.text).toContain("dredged");
  });

  it("returns only passages of documents that match the filter", async () => {
    const nested = await retrieveHybrid(
      store.db,
      embedder,
      "debt canal emancipation",
      {
        ...retrieval,
        filter: { sourcePrefix: "docs/nested/" },
      },
    );
    expect(nested.map((r) => r.title)).toEqual(["Budget & debt"]);
    const byModel = await retrieveHybrid(store.db, embedder, "canal", {
      ...retrieval,
      filter: { metadata: { embeddingModel: "hashing-v1" } },
    });
    expect(byModel.length).toBeGreaterThan(0);
    const none = await retrieveHybrid(store.db, embedder, "canal", {
      ...retrieval,
      filter: { metadata: { embeddingModel: "other" } },
    });
    expect(none).toEqual([]);
  });

  it("honours quoted phrases and exclusions (websearch syntax)", async () => {
    const results = await retrieveHybrid(
      store.db,
      embedder,
      '"public debt" -canal',
      { ...retrieval, vectorWeight: 0 },
    );
    expect(results.map((r) => r.title)).toEqual(["Budget & debt"]);
  });
});
