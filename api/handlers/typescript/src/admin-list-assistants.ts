import {
  adminListAssistantsHandler,
  AdminListAssistantsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listAssistants } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/assistants: every assistant, as it is now. */
export const adminListAssistants: AdminListAssistantsChainedHandlerFunction =
  async () => ({
    statusCode: 200,
    body: { items: (await listAssistants(await database())) as any[] },
  });

/** Lambda entry point. */
export const handler = guard(
  adminListAssistantsHandler(...INTERCEPTORS, adminListAssistants),
);
