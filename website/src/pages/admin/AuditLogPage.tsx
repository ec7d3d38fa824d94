import Box from "@cloudscape-design/components/box";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Header from "@cloudscape-design/components/header";
import Table from "@cloudscape-design/components/table";
import {
  useListAuditLog,
  type AuditEntry,
} from "@sextant/api-typescript-react-query-hooks";
import { useTranslation } from "react-i18next";
import { CursorPagination } from "./CursorPagination";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormat } from "../../lib/format";
import { useCursorPages } from "../../lib/use-cursor-pages";

/** An entry's detail as text: configuration changes as `path: from → to`, anything else as JSON. */
export function describeDetail(detail: AuditEntry["detail"]): string {
  if (!detail) return "";
  const changes = (detail as { changes?: unknown }).changes;
  if (Array.isArray(changes))
    return changes
      .map(
        (c: { path: string; from: unknown; to: unknown }) =>
          `${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`,
      )
      .join("\n");
  return Object.keys(detail).length ? JSON.stringify(detail, null, 1) : "";
}

/** The audit log (administrators), newest first: who changed what, with each configuration field's old and new value. */
export default function AuditLogPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const pages = useCursorPages();
  const log = useListAuditLog({ limit: 25, cursor: pages.cursor });
  return (
    <ContentLayout
      header={<Header variant="h1">{t("auditLogPage.auditLog")}</Header>}
    >
      <ProblemAlert
        error={log.error}
        header={t("auditLogPage.couldNotLoadTheAudit")}
      />
      <Table
        variant="container"
        header={
          <Header variant="h2">
            {t("auditLogPage.administrativeActions")}
          </Header>
        }
        loading={log.isLoading}
        loadingText={t("auditLogPage.loadingTheAuditLog")}
        items={log.data?.items ?? []}
        trackBy="id"
        wrapLines
        empty={<Box textAlign="center">{t("auditLogPage.nothingYet")}</Box>}
        pagination={
          <CursorPagination pages={pages} nextCursor={log.data?.nextCursor} />
        }
        columnDefinitions={[
          {
            id: "when",
            header: t("auditLogPage.when"),
            cell: (e) => format.dateTime(e.createdAt),
          },
          { id: "actor", header: t("auditLogPage.who"), cell: (e) => e.actor },
          {
            id: "action",
            header: t("auditLogPage.action"),
            cell: (e) => <code>{e.action}</code>,
            isRowHeader: true,
          },
          {
            id: "target",
            header: t("auditLogPage.target"),
            cell: (e) => e.target ?? "—",
          },
          {
            id: "detail",
            header: t("auditLogPage.detail"),
            cell: (e) => (
              <pre className="sextant-json">{describeDetail(e.detail)}</pre>
            ),
          },
        ]}
      />
    </ContentLayout>
  );
}
