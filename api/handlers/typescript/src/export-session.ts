import {
  exportSessionHandler,
  ExportSessionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  contentDisposition,
  exportConversation,
  exportRequest,
  parseInput,
} from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /sessions/{sessionId}/export?format=md|json: the caller's conversation as a file (400 naming `format`). */
export const exportSession: ExportSessionChainedHandlerFunction = async (
  request,
) => {
  const { format } = parseInput(exportRequest, {
    format: request.input.requestParameters.format,
  });
  const file = await exportConversation(
    await database(),
    // Sessions belong to the caller's id (the token's `sub`), as every session operation reads them.
    callerOf(request).id,
    request.input.requestParameters.sessionId,
    format,
  );
  return {
    statusCode: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.fileName),
    },
    body: file.body,
  };
};

/** Lambda entry point. */
export const handler = guard(
  exportSessionHandler(...INTERCEPTORS, exportSession),
);
