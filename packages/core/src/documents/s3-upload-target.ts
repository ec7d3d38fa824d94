import {
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { SERVICE_CLIENT_LIMITS } from "../aws-client-config";
import type { UploadRequest, UploadTarget, UploadUrl } from "./upload";
import { uploadPath } from "./upload-paths";

/** Presigned S3 PUTs into the upload bucket (KMS-encrypted by the bucket's default; TLS only by its policy). */
export class S3UploadTarget implements UploadTarget {
  constructor(
    private readonly bucket: string,
    private readonly client = new S3Client({ ...SERVICE_CLIENT_LIMITS }),
    private readonly expiresInSeconds = 900,
  ) {}

  async createUploadUrl(request: UploadRequest): Promise<UploadUrl> {
    const key = `uploads/${uploadPath(request)}`;
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentLength: request.size,
      }),
      { expiresIn: this.expiresInSeconds },
    );
    return {
      url,
      method: "PUT",
      headers: {},
      expiresAt: new Date(Date.now() + this.expiresInSeconds * 1000),
      source: `s3://${this.bucket}/${key}`,
    };
  }

  /** Deletes an uploaded or bulk-loaded object of this bucket (a delete marker: old versions expire after 30 days). */
  async removeUpload(source: string): Promise<void> {
    const prefix = `s3://${this.bucket}/`;
    if (!source.startsWith(prefix)) return;
    const key = source.slice(prefix.length);
    if (!/^(uploads|bulk)\//.test(key)) return;
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: key }),
    );
  }
}
