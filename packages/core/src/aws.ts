// The AWS implementations of the API's services (`@sextant/core/lib/aws`): Cognito users, S3 uploads.
export * from "./users/cognito-user-directory";
export * from "./documents/s3-upload-target";
export * from "./providers/openai-key";
