import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  contentDisposition,
  uploadPath,
  type DownloadUrl,
  type OriginalFile,
  type UploadRequest,
  type UploadTarget,
  type UploadUrl,
} from "@sextant/core/store";

/** What an upload URL grants: one file into one collection, up to its announced size, until it expires. */
interface Grant {
  readonly filename: string;
  readonly collectionId: string;
  readonly size: number;
  readonly expires: number;
}

/** What a download URL grants: reading one document's original file until it expires. */
interface DownloadGrant {
  readonly documentId: string;
  readonly expires: number;
}

/** What runs once a file is uploaded: ingesting it, under its source, into its collection. */
export type OnUploaded = (
  file: { readonly path: string; readonly source: string },
  collectionId: string,
) => Promise<unknown>;

/** Where a document's original file is, for a download URL's GET: none when it is gone. */
export type FindOriginal = (
  documentId: string,
) => Promise<Omit<OriginalFile, "documentId"> | undefined>;

/**
 * Presigned uploads, locally: the URL carries a grant signed with a per-run key (like an S3
 * presigned PUT, it needs no bearer token and is good for one file, its size, 15 minutes). The
 * file lands in `dir/<collection id>/` and is ingested in-process into that collection.
 */
export class LocalUploads implements UploadTarget {
  private readonly key = randomBytes(32);

  constructor(
    private readonly options: {
      readonly uploadUrlBase: string;
      readonly dir: string;
      readonly onUploaded: OnUploaded;
      readonly findOriginal: FindOriginal;
      readonly expiresInSeconds?: number;
    },
  ) {}

  async createUploadUrl(request: UploadRequest): Promise<UploadUrl> {
    const expires = Date.now() + (this.options.expiresInSeconds ?? 900) * 1000;
    const grant = Buffer.from(
      JSON.stringify({
        filename: request.filename,
        collectionId: request.collectionId,
        size: request.size,
        expires,
      } satisfies Grant),
    ).toString("base64url");
    return {
      url: `${this.options.uploadUrlBase}/${grant}.${this.sign(grant)}`,
      method: "PUT",
      headers: {},
      expiresAt: new Date(expires),
      source: sourceOf(request),
    };
  }

  /** Deletes an uploaded file, given its origin (only files of the upload folder's collections). */
  async removeUpload(origin: string): Promise<void> {
    if (dirname(dirname(resolve(origin))) === resolve(this.options.dir))
      rmSync(origin, { force: true });
  }

  /** A signed GET of the original file, like a presigned S3 GET: it names the document, never where the file is. */
  async createDownloadUrl(file: OriginalFile): Promise<DownloadUrl> {
    const expires = Date.now() + (this.options.expiresInSeconds ?? 900) * 1000;
    const grant = Buffer.from(
      JSON.stringify({
        documentId: file.documentId,
        expires,
      } satisfies DownloadGrant),
    ).toString("base64url");
    return {
      url: `${this.options.uploadUrlBase}/${grant}.${this.sign(grant)}`,
      expiresAt: new Date(expires),
      fileName: file.fileName,
    };
  }

  /** `PUT <uploadUrlBase>/<grant>.<signature>` with the file as the body. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    token: string,
  ): Promise<void> {
    const reply = (status: number, body: object) => {
      res.writeHead(status, {
        "Content-Type": "application/json",
        "Cache-Control": "no-store",
      });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET") return this.download(token, res, reply);
    if (req.method !== "PUT")
      return reply(405, { code: "BadRequest", message: "Upload with PUT." });
    const grant = this.verify<Grant>(token);
    if (!grant || typeof grant.filename !== "string")
      return reply(403, {
        code: "NotAuthorized",
        message: "The upload URL is invalid or has expired; ask for a new one.",
      });
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > grant.size)
      return reply(413, {
        code: "PayloadTooLarge",
        message: `The upload URL is for ${grant.size} bytes.`,
      });

    const target = join(this.options.dir, uploadPath(grant));
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.${randomBytes(4).toString("hex")}.partial`;
    let received = 0;
    try {
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length;
            if (received > grant.size) throw new RangeError("too large");
            yield chunk;
          }
        },
        createWriteStream(partial),
      );
    } catch (e) {
      rmSync(partial, { force: true });
      if (e instanceof RangeError)
        return reply(413, {
          code: "PayloadTooLarge",
          message: `The upload URL is for ${grant.size} bytes.`,
        });
      throw e;
    }
    // Only a complete file ever has the document's name.
    renameSync(partial, target);
    const source = sourceOf(grant);
    const outcome = await this.options.onUploaded(
      { path: target, source },
      grant.collectionId,
    );
    reply(201, { source, bytes: received, ingest: outcome });
  }

  private async download(
    token: string,
    res: ServerResponse,
    reply: (status: number, body: object) => void,
  ): Promise<void> {
    const grant = this.verify<DownloadGrant>(token);
    if (!grant || typeof grant.documentId !== "string")
      return reply(403, {
        code: "NotAuthorized",
        message:
          "The download URL is invalid or has expired; ask for a new one.",
      });
    const original = await this.options.findOriginal(grant.documentId);
    let size: number | undefined;
    try {
      size = original && statSync(original.origin).size;
    } catch {
      size = undefined;
    }
    if (!original || size === undefined)
      return reply(404, {
        code: "NotFound",
        message: "The original file is no longer there.",
      });
    res.writeHead(200, {
      "Content-Type": original.mediaType,
      "Content-Length": String(size),
      "Content-Disposition": contentDisposition(original.fileName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    await pipeline(createReadStream(original.origin), res);
  }

  private sign(grant: string): string {
    return createHmac("sha256", this.key).update(grant).digest("base64url");
  }

  private verify<G extends { expires: number }>(token: string): G | undefined {
    const [grant, signature] = token.split(".");
    if (!grant || !signature) return undefined;
    const expected = Buffer.from(this.sign(grant));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return undefined;
    const parsed = JSON.parse(
      Buffer.from(grant, "base64url").toString("utf8"),
    ) as G;
    return parsed.expires > Date.now() ? parsed : undefined;
  }
}

/** What an upload goes by: `uploads/<collection id>/<file name>`, as its S3 key would be on AWS. */
const sourceOf = (request: {
  readonly collectionId: string;
  readonly filename: string;
}) => `uploads/${uploadPath(request)}`;
