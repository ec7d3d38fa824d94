// Imported dynamically, so the bundles that use it load its AWS SDK client on first use, not at init.
export { S3UploadTarget } from "@sextant/core/aws";
