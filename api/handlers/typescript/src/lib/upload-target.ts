import type { UploadTarget } from "@sextant/core/store";
import { service } from "./services";

/** Where documents are uploaded: on AWS the upload bucket (`UPLOAD_BUCKET`), its S3 client loaded on first use. */
export function uploadTarget(): Promise<UploadTarget> {
  return service("uploads", async () => {
    const { S3UploadTarget } = await import("./aws/s3");
    return new S3UploadTarget(process.env.UPLOAD_BUCKET ?? "");
  });
}
