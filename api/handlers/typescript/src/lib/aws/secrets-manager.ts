// Imported dynamically, so the bundles that use it load its AWS SDK client on first use, not at init.
export { openAiKeyFromEnvironment } from "@sextant/core/aws";
