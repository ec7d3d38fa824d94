import {
  ingestFiles,
  tesseractOcr,
  type IngestProgress,
} from "@sextant/core/rag";
import { demoCorpus } from "@sextant/local/client";
import { SingleBar } from "cli-progress";
import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_DATA_DIR, withStore } from "./store.js";

/** `sextant ingest <paths...>`: files and folders, recursively, with a progress bar on a terminal. */
export function ingestCommand(program: Command): void {
  program
    .command("ingest")
    .description(
      "Ingest documents (folders recursively): .txt .md .html .pdf .docx .pptx .xlsx .csv .eml, and scans (.png .jpg .tiff, PDFs without text) by OCR; unchanged files are skipped",
    )
    .argument("[paths...]", "files or folders")
    .option(
      "--demo",
      "also ingest the demo corpus: every State of the Union address, 1790–2021",
    )
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .option(
      "--concurrency <n>",
      "documents in flight at once (each still written in its own transaction)",
      (value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 64)
          throw new InvalidArgumentError("use a whole number from 1 to 64");
        return n;
      },
      4,
    )
    .option(
      "--json",
      "print the summary as JSON, and progress as JSON lines on stderr",
    )
    .action(
      async (
        given: string[],
        options: {
          dataDir: string;
          json?: boolean;
          demo?: boolean;
          concurrency: number;
        },
      ) => {
        const paths = options.demo ? [...given, ...demoCorpus()] : given;
        if (paths.length === 0)
          program.error("error: give files or folders to ingest, or --demo", {
            exitCode: 2,
          });
        const controller = new AbortController();
        const interrupt = () => controller.abort();
        process.once("SIGINT", interrupt);
        const bar =
          process.stderr.isTTY && !options.json
            ? new SingleBar({
                format: "ingesting [{bar}] {value}/{total} {source}",
                stream: process.stderr,
                hideCursor: true,
              })
            : undefined;
        const onProgress = (p: IngestProgress) => {
          // Scripts get one JSON line per document on stderr; stdout keeps the summary alone.
          if (options.json)
            process.stderr.write(`${JSON.stringify({ progress: p })}\n`);
          if (!bar) return;
          if (p.done === 1) bar.start(p.total, 0, { source: "" });
          bar.update(p.done, {
            source: p.source.length > 50 ? `…${p.source.slice(-49)}` : p.source,
          });
        };
        const ocr = tesseractOcr();
        try {
          const summary = await withStore(options.dataDir, (db, embedder) =>
            ingestFiles(db, embedder, paths, {
              onProgress,
              signal: controller.signal,
              concurrency: options.concurrency,
              ocr,
            }),
          );
          bar?.stop();
          const interrupted = controller.signal.aborted;
          if (options.json) {
            console.log(JSON.stringify({ ...summary, interrupted }));
          } else {
            console.log(
              `${interrupted ? "Interrupted: " : ""}${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
                `${summary.failed} failed; ${summary.chunks} chunks in ${summary.seconds} s`,
            );
            for (const f of summary.failures)
              console.error(`  failed: ${f.source}: ${f.error}`);
            if (interrupted)
              console.log(
                "Everything ingested so far is saved; run the same command again to resume.",
              );
          }
          process.exitCode = interrupted ? 130 : summary.failed > 0 ? 1 : 0;
        } finally {
          process.off("SIGINT", interrupt);
          await ocr.close();
        }
      },
    );
}
