import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@sextant/core/embedded";
import { ingestFiles, LocalEmbedder, tesseractOcr } from "@sextant/core/rag";
import {
  CORPUS_FORMATS,
  corpusDocument,
  scannedPage,
} from "@sextant/core/testing";
import { demoCorpus, round } from "@sextant/local";

/**
 * Ingestion throughput per format (issue 25): the same State of the Union addresses written as
 * each format by the libraries that write it, then ingested (extract → chunk → embed → write)
 * into an empty embedded store, one format at a time; and OCR pages a minute with tesseract.js on
 * generated scanned pages.
 */
export async function benchFormats(documents = 12, scannedPages = 6) {
  const dir = mkdtempSync(join(tmpdir(), "sextant-bench-formats-"));
  try {
    const speeches = demoCorpus()
      .filter((d) => Number(d.date) >= 1990)
      .slice(0, documents)
      .map((d) => ({
        title: d.title!,
        paragraphs: readFileSync(d.path, "utf8")
          .split(/\n\s*\n/)
          .map((p) => p.trim())
          .filter(Boolean),
      }));
    const perFormat: Record<
      string,
      {
        documents: number;
        megabytes: number;
        seconds: number;
        documentsPerMinute: number;
        megabytesPerSecond: number;
        chunks: number;
      }
    > = {};
    for (const format of CORPUS_FORMATS) {
      const folder = join(dir, format);
      mkdirSync(folder);
      let bytes = 0;
      for (const [i, s] of speeches.entries()) {
        const file = await corpusDocument(format, s.title, s.paragraphs);
        bytes += file.length;
        writeFileSync(join(folder, `speech-${i}.${format}`), file);
      }
      const store = await openDatabase(undefined, "");
      try {
        const started = performance.now();
        const summary = await ingestFiles(store.db, new LocalEmbedder(), [
          folder,
        ]);
        const seconds = (performance.now() - started) / 1000;
        if (summary.failed)
          throw new Error(`${format}: ${JSON.stringify(summary.failures)}`);
        perFormat[format] = {
          documents: summary.added,
          megabytes: round(bytes / 1e6, 2),
          seconds: round(seconds, 2),
          documentsPerMinute: round((summary.added / seconds) * 60, 0),
          megabytesPerSecond: round(bytes / 1e6 / seconds, 2),
          chunks: summary.chunks,
        };
      } finally {
        await store.close();
      }
    }
    const ocr = tesseractOcr();
    try {
      const lines = readFileSync(demoCorpus()[0].path, "utf8")
        .split(/\s+/)
        .reduce<string[]>((out, word) => {
          const last = out[out.length - 1];
          if (last !== undefined && `${last} ${word}`.length <= 60)
            out[out.length - 1] = `${last} ${word}`;
          else out.push(word);
          return out;
        }, []);
      const pages = await Promise.all(
        Array.from({ length: scannedPages }, (_, p) =>
          scannedPage(lines.slice(p * 25, p * 25 + 25)),
        ),
      );
      await ocr.recognize(pages[0]); // the model loads once per process
      const started = performance.now();
      for (const page of pages) await ocr.recognize(page);
      const seconds = (performance.now() - started) / 1000;
      return {
        perFormat,
        ocrPagesPerMinute: round((pages.length / seconds) * 60, 0),
        ocrSecondsPerPage: round(seconds / pages.length, 2),
      };
    } finally {
      await ocr.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
