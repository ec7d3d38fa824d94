import {
  exportUsageHandler,
  ExportUsageChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { parseUsageQuery, usageCsv, usageReport } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/usage/export: the usage report as CSV, the same figures as GET /admin/usage. */
export const exportUsage: ExportUsageChainedHandlerFunction = async (
  request,
) => {
  const { from, to, groupBy } = request.input.requestParameters;
  const query = parseUsageQuery({ from, to, groupBy });
  const name = `sextant-usage-${query.groupBy}-${query.from}-${query.to}.csv`;
  return {
    statusCode: 200,
    headers: {
      "Content-Type": "text/csv",
      "Content-Disposition": `attachment; filename="${name}"`,
    },
    body: usageCsv(await usageReport(await database(), query)),
  };
};

/** Lambda entry point. */
export const handler = guard(exportUsageHandler(...INTERCEPTORS, exportUsage));
