// The AWS implementations of the API's services (`@sextant/core/aws`): Cognito users, S3 uploads,
// the OpenAI-compatible key from Secrets Manager.
export * from "./users/cognito-user-directory";
export * from "./documents/s3-upload-target";
export * from "./providers/openai-key";
