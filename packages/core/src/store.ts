// Persistence for the API: sessions, inference-configuration versions, documents, audit log,
// request schemas (`@sextant/core/store`). Nothing here loads the embedded database, the
// document extractors or model providers, so handlers that only read and write stay small.
export * from "./index";
export * from "./db/database";
export * from "./db/connect-postgres";
export * from "./db/migrations";
export * from "./input/cursor";
export * from "./input/parse-input";
export * from "./input/requests";
export * from "./audit/audit-log";
export * from "./chat/sessions";
export * from "./inference-config/store";
export * from "./documents/documents";
export * from "./documents/upload";
export * from "./documents/upload-paths";
export * from "./sources/document-sources";
export * from "./users/user-directory";
export * from "./users/user-access";
export * from "./users/administer-users";
export * from "./collections/collections";
export * from "./collections/administer-collections";
export * from "./assistants/assistants";
export * from "./assistants/administer-assistants";
export * from "./evaluation/evaluation-set";
export * from "./evaluation/evaluation-sets";
export * from "./evaluation/evaluation-runs";
export * from "./evaluation/report";
export * from "./guardrails/redact-pii";
export * from "./usage/quotas";
export * from "./usage/metering";
export * from "./usage/usage-report";
