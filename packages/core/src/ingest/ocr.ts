/** Reads the text of an image: tesseract.js locally (`ocr-tesseract.ts`); on AWS, Amazon Textract. */
export interface OcrEngine {
  /** The text of one encoded image (PNG, JPEG, TIFF), in reading order. */
  recognize(image: Uint8Array): Promise<string>;
}
