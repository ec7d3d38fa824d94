import {
  downloadDocumentHandler,
  DownloadDocumentChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { requestDownloadUrl, withCurrentGroups } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";
import { uploadTarget } from "./lib/upload-target";
import { userDirectory } from "./lib/user-directory";

/** GET /documents/{documentId}/download: a short-lived link to the original, for readers of its collection (404 for anyone else). */
export const downloadDocument: DownloadDocumentChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 200,
  body: await requestDownloadUrl(
    { db: await database(), uploads: await uploadTarget() },
    // Groups as the directory has them now: a group left stops downloads at once, as it stops answers.
    await withCurrentGroups(callerOf(request), await userDirectory()),
    request.input.requestParameters.documentId,
  ),
});

/** Lambda entry point. */
export const handler = guard(
  downloadDocumentHandler(...INTERCEPTORS, downloadDocument),
);
