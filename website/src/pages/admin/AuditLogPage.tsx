import Box from "@cloudscape-design/components/box";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Header from "@cloudscape-design/components/header";
import Table from "@cloudscape-design/components/table";
import {
  useListAuditLog,
  type AuditEntry,
} from "@sextant/api-typescript-react-query-hooks";
import { CursorPagination } from "./CursorPagination";
import { ProblemAlert } from "../../components/ProblemAlert";
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
  const pages = useCursorPages();
  const log = useListAuditLog({ limit: 25, cursor: pages.cursor });
  return (
    <ContentLayout header={<Header variant="h1">Audit log</Header>}>
      <ProblemAlert error={log.error} header="Could not load the audit log" />
      <Table
        variant="container"
        header={<Header variant="h2">Administrative actions</Header>}
        loading={log.isLoading}
        loadingText="Loading the audit log"
        items={log.data?.items ?? []}
        trackBy="id"
        wrapLines
        empty={<Box textAlign="center">Nothing yet.</Box>}
        pagination={
          <CursorPagination pages={pages} nextCursor={log.data?.nextCursor} />
        }
        columnDefinitions={[
          {
            id: "when",
            header: "When",
            cell: (e) => e.createdAt.toLocaleString(),
          },
          { id: "actor", header: "Who", cell: (e) => e.actor },
          {
            id: "action",
            header: "Action",
            cell: (e) => <code>{e.action}</code>,
            isRowHeader: true,
          },
          { id: "target", header: "Target", cell: (e) => e.target ?? "—" },
          {
            id: "detail",
            header: "Detail",
            cell: (e) => (
              <pre className="sextant-json">{describeDetail(e.detail)}</pre>
            ),
          },
        ]}
      />
    </ContentLayout>
  );
}
