// The RAG engine: storage, ingestion, retrieval, the chain and model providers. Imported by the
// CLI, the local stack and the chat handlers; kept apart so light handlers stay small.
export * from "./store";
export * from "./embeddings/embedder";
export * from "./embeddings/local-embedder";
export * from "./ingest/chunk";
export * from "./ingest/extract";
export * from "./ingest/ingest";
export * from "./ingest/pipeline";
export * from "./retrieval/retrieve-hybrid";
export * from "./retrieval/rerank";
export * from "./retrieval/warm-up";
export * from "./chain/answer-question";
export * from "./chain/extractive-answer";
export * from "./chain/language-model";
export * from "./providers/bedrock";
export * from "./providers/openai-compatible";
export * from "./providers/retry";
export * from "./providers/sagemaker";
export * from "./providers/rerankers";
export * from "./providers/models-from-config";
export * from "./providers/embedder-from-config";
export * from "./chat/messages";
export * from "./chat/search";
export * from "./chat/ask";
export * from "./evaluation/metrics";
export * from "./evaluation/run-evaluation";
export * from "./evaluation/judge";
