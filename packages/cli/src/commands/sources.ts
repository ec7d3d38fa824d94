import { basename, resolve } from "node:path";
import {
  createFolderSource,
  folderSources,
  listCollections,
  listSources,
  syncFolderSource,
  tesseractOcr,
} from "@sextant/core/rag";
import type { Command } from "commander";
import { DEFAULT_DATA_DIR, withStore } from "./store.js";

/** A folder's default source name: its own name, in lowercase letters, digits and hyphens. */
const nameOf = (folder: string) =>
  basename(resolve(folder))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63) || "folder";

/**
 * `sextant sources add|list` and `sextant sync`: folders on this machine that a collection is kept
 * equal to, the local counterpart of S3 sources on AWS (docs/ingestion.md).
 */
export function sourcesCommand(program: Command): void {
  const sources = program
    .command("sources")
    .description(
      "Folders kept in sync with a collection (`sextant sync` runs them)",
    );

  sources
    .command("add")
    .description(
      "Register a folder as a source of a collection (then run `sextant sync`)",
    )
    .argument("<folder>", "the folder")
    .requiredOption("--collection <name>", "the collection it feeds")
    .option(
      "--name <name>",
      "what its documents go by: <name>/<path in the folder> (default: the folder's name)",
    )
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .action(
      async (
        folder: string,
        options: { collection: string; name?: string; dataDir: string },
      ) => {
        await withStore(options.dataDir, async (db) => {
          const collections = await listCollections(db);
          const collection = collections.find(
            (c) => c.name === options.collection,
          );
          if (!collection)
            program.error(
              `error: no collection named '${options.collection}'; there are: ${collections.map((c) => c.name).join(", ")}`,
              { exitCode: 2 },
            );
          const added = await createFolderSource(db, "cli", {
            name: options.name ?? nameOf(folder),
            folder: resolve(folder),
            collectionId: collection.id,
          });
          console.log(
            `Added source ${added.name} → ${added.collectionName}. Run \`sextant sync\` to ingest it.`,
          );
        });
      },
    );

  sources
    .command("list")
    .description("The sources, with their documents, failures and last sync")
    .option("--json", "print JSON")
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .action(async (options: { json?: boolean; dataDir: string }) => {
      const all = await withStore(options.dataDir, async (db) => [
        ...(await listSources(db, "folder")),
        ...(await listSources(db, "s3")),
      ]);
      if (options.json) return console.log(JSON.stringify(all));
      if (!all.length)
        return console.log(
          "No sources: add one with `sextant sources add <folder> --collection <name>`.",
        );
      for (const s of all)
        console.log(
          `${s.name} (${s.kind}) → ${s.collectionName}: ${s.documents} documents, ${s.failures.length} failed` +
            (s.lastSyncAt
              ? `; last sync ${s.lastSyncAt.toISOString()}`
              : "; never synced"),
        );
    });

  program
    .command("sync")
    .description(
      "Keep each folder source's collection equal to its folder: new and changed files in, deleted files out",
    )
    .option("--json", "print the outcome per source as JSON")
    .option("--data-dir <dir>", "embedded database directory", DEFAULT_DATA_DIR)
    .action(async (options: { json?: boolean; dataDir: string }) => {
      const ocr = tesseractOcr();
      try {
        const outcomes = await withStore(
          options.dataDir,
          async (db, embedder) => {
            const results: Record<string, unknown> = {};
            for (const source of await folderSources(db)) {
              const summary = await syncFolderSource(db, embedder, source, {
                ocr,
                onProgress: (p) => {
                  if (process.stderr.isTTY && !options.json)
                    process.stderr.write(
                      `\r${source.name}: ${p.done}/${p.total}`,
                    );
                },
              });
              if (process.stderr.isTTY && !options.json)
                process.stderr.write("\n");
              results[source.name] = summary;
              if (!options.json) {
                console.log(
                  `${source.name}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
                    `${summary.removed} removed, ${summary.failed} failed`,
                );
                for (const f of summary.failures)
                  console.error(`  failed: ${f.source}: ${f.error}`);
              }
            }
            return results;
          },
        );
        if (options.json) console.log(JSON.stringify(outcomes));
        else if (!Object.keys(outcomes).length)
          console.log(
            "No folder sources: add one with `sextant sources add <folder> --collection <name>`.",
          );
        process.exitCode = Object.values(outcomes).some(
          (o) => (o as { failed: number }).failed > 0,
        )
          ? 1
          : 0;
      } finally {
        await ocr.close();
      }
    });
}
