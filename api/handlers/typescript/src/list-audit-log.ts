import {
  listAuditLogHandler,
  ListAuditLogChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listAuditLog as list } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard, pageOf } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/audit-log: who changed what and when, newest first. */
export const listAuditLog: ListAuditLogChainedHandlerFunction = async (
  request,
) => {
  const db = await database();
  return { statusCode: 200, body: (await list(db, pageOf(request))) as any };
};

/** Lambda entry point. */
export const handler = guard(
  listAuditLogHandler(...INTERCEPTORS, listAuditLog),
);
