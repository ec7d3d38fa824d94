import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { SERVICE_CLIENT_LIMITS } from "../aws-client-config";
import { NotFoundError } from "../errors";
import {
  contentDisposition,
  type DownloadUrl,
  type OriginalFile,
  type UploadRequest,
  type UploadTarget,
  type UploadUrl,
} from "./upload";
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
      source: key,
    };
  }

  /** Deletes an uploaded or bulk-loaded object of this bucket (a delete marker: old versions expire after 30 days). */
  async removeUpload(origin: string): Promise<void> {
    const key = this.keyOf(origin);
    if (!key) return;
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: key }),
    );
  }

  /**
   * A presigned GET of an uploaded or bulk-loaded object, saved under its file name
   * (`Content-Disposition: attachment`, RFC 6266; S3's `response-content-disposition`:
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
   */
  async createDownloadUrl(file: OriginalFile): Promise<DownloadUrl> {
    const key = this.keyOf(file.origin);
    // A registered source's object stays in its own bucket: only uploads and bulk loads are served.
    if (!key)
      throw new NotFoundError(
        "The original of this document is in a source bucket, not the upload bucket: open it there.",
      );
    const url = await getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: contentDisposition(file.fileName),
        ResponseContentType: file.mediaType,
      }),
      { expiresIn: this.expiresInSeconds },
    );
    return {
      url,
      expiresAt: new Date(Date.now() + this.expiresInSeconds * 1000),
      fileName: file.fileName,
    };
  }

  /** The key of an origin in this bucket under `uploads/` or `bulk/`; none otherwise. */
  private keyOf(origin: string): string | undefined {
    const prefix = `s3://${this.bucket}/`;
    if (!origin.startsWith(prefix)) return undefined;
    const key = origin.slice(prefix.length);
    return /^(uploads|bulk)\//.test(key) ? key : undefined;
  }
}
