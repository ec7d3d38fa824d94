// The ingestion state machine's steps on AWS (`@sextant/core/aws-ingestion`): S3 in, the RAG
// engine's extract, chunk, embed and write, each step resumable from the bucket's staging prefix.
export * from "./ingest/aws-steps";
export * from "./sources/s3-sync";
