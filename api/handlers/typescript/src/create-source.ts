import {
  createSourceHandler,
  CreateSourceChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  createS3Source,
  parseInput,
  s3SourceRequest,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** The buckets this deployment may read (the `sourceBuckets` context key, set by the CDK app). */
const SOURCE_BUCKETS = (process.env.SOURCE_BUCKETS ?? "")
  .split(",")
  .map((b) => b.trim())
  .filter(Boolean);

/** POST /admin/sources: registers an S3 bucket and prefix as a source of a collection (400 naming the field). */
export const createSource: CreateSourceChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 201,
  body: (await createS3Source(
    await database(),
    callerOf(request).username,
    parseInput(s3SourceRequest, jsonBody(request)),
    SOURCE_BUCKETS,
  )) as any,
});

/** Lambda entry point. */
export const handler = guard(
  createSourceHandler(...INTERCEPTORS, createSource),
);
