import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OcrEngine } from "./ocr";

/**
 * OCR on this machine with tesseract.js (Tesseract compiled to WebAssembly), its English model
 * from the npm package `@tesseract.js-data/eng`: nothing is downloaded at run time. One worker,
 * started at the first image and reused; images are read one at a time. `close()` ends it.
 */
export function tesseractOcr(): OcrEngine & { close(): Promise<void> } {
  let worker: Promise<import("tesseract.js").Worker> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const start = async () => {
    const { createWorker } = await import("tesseract.js");
    const langPath = join(
      dirname(
        createRequire(__filename).resolve(
          "@tesseract.js-data/eng/package.json",
        ),
      ),
      "4.0.0_best_int",
    );
    return createWorker("eng", 1, {
      langPath,
      gzip: true,
      cacheMethod: "none",
    });
  };
  return {
    recognize(image) {
      const read = queue.then(async () => {
        worker ??= start();
        const { data } = await (await worker).recognize(Buffer.from(image));
        return data.text;
      });
      queue = read.catch(() => undefined);
      return read;
    },
    async close() {
      const started = worker;
      worker = undefined;
      await (await started)?.terminate();
    },
  };
}
