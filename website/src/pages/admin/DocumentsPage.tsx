import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import FileUpload from "@cloudscape-design/components/file-upload";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import ProgressBar from "@cloudscape-design/components/progress-bar";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator, {
  type StatusIndicatorProps,
} from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import {
  DefaultApiClientContext,
  useDeleteDocument,
  useListDocuments,
  type Document,
} from "@sextant/api-typescript-react-query-hooks";
import { useContext, useState } from "react";
import { CursorPagination } from "./CursorPagination";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert } from "../../components/ProblemAlert";
import { toProblem } from "../../lib/api-error";
import { uploadWithProgress } from "../../lib/upload";
import { useCursorPages } from "../../lib/use-cursor-pages";
import { checkSession, queryClient } from "../../query-client";

const STATUS: Record<Document["status"], [StatusIndicatorProps.Type, string]> =
  {
    pending: ["in-progress", "Ingesting"],
    ready: ["success", "Ready"],
    failed: ["error", "Failed"],
  };

const ACCEPT = ".txt,.md,.markdown,.html,.htm,.pdf";

/** One file's upload: its progress, then its outcome. */
interface UploadState {
  readonly name: string;
  readonly progress: number;
  readonly status: "uploading" | "done" | "failed";
  readonly message?: string;
}

/** Uploads each file through a presigned URL (`POST /admin/documents/upload-url`, then PUT), with per-file progress. */
function Uploader() {
  const api = useContext(DefaultApiClientContext)!;
  const [files, setFiles] = useState<File[]>([]);
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const update = (i: number, change: Partial<UploadState>) =>
    setUploads((u) => u.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const start = async () => {
    const batch = files;
    setFiles([]);
    setUploads(
      batch.map((f) => ({ name: f.name, progress: 0, status: "uploading" })),
    );
    await Promise.all(
      batch.map(async (file, i) => {
        try {
          const target = await api.createUploadUrl({
            uploadRequest: { filename: file.name, size: file.size },
          });
          await uploadWithProgress(target, file, (p) =>
            update(i, { progress: Math.round(p * 100) }),
          );
          update(i, { status: "done", progress: 100 });
        } catch (e) {
          checkSession(e);
          update(i, {
            status: "failed",
            message: (await toProblem(e)).message,
          });
        }
      }),
    );
    void queryClient.invalidateQueries(["listDocuments"]);
  };
  return (
    <Container header={<Header variant="h2">Upload</Header>}>
      <SpaceBetween size="m">
        <FormField
          label="Documents"
          description="Text, Markdown, HTML or PDF, up to 50 MiB each. Ingestion starts when the upload completes."
        >
          <FileUpload
            multiple
            accept={ACCEPT}
            value={files}
            onChange={(e) => setFiles(e.detail.value)}
            showFileSize
            tokenLimit={5}
            i18nStrings={{
              uploadButtonText: (multiple) =>
                multiple ? "Choose files" : "Choose file",
              dropzoneText: (multiple) =>
                multiple ? "Drop files to upload" : "Drop file to upload",
              removeFileAriaLabel: (i) => `Remove file ${i + 1}`,
              limitShowFewer: "Show fewer files",
              limitShowMore: "Show more files",
              errorIconAriaLabel: "Error",
              warningIconAriaLabel: "Warning",
            }}
          />
        </FormField>
        <Button
          variant="primary"
          disabled={files.length === 0}
          onClick={() => void start()}
        >
          Upload{" "}
          {files.length > 0
            ? `${files.length} file${files.length > 1 ? "s" : ""}`
            : ""}
        </Button>
        {uploads.map((u) => (
          <ProgressBar
            key={u.name}
            label={u.name}
            value={u.progress}
            status={
              u.status === "uploading"
                ? "in-progress"
                : u.status === "done"
                  ? "success"
                  : "error"
            }
            resultText={u.status === "done" ? "Uploaded; ingesting" : u.message}
          />
        ))}
      </SpaceBetween>
    </Container>
  );
}

/** Documents (administrators): upload with progress, ingestion status and chunk counts, delete. */
export default function DocumentsPage() {
  const pages = useCursorPages();
  const documents = useListDocuments(
    { limit: 50, cursor: pages.cursor },
    // Poll while anything is still being ingested.
    {
      refetchInterval: (data) =>
        data?.items.some((d) => d.status === "pending") ? 2000 : false,
    },
  );
  const [deleting, setDeleting] = useState<Document>();
  const remove = useDeleteDocument({
    onSuccess: () => {
      setDeleting(undefined);
      void queryClient.invalidateQueries(["listDocuments"]);
    },
  });
  return (
    <ContentLayout header={<Header variant="h1">Documents</Header>}>
      <SpaceBetween size="l">
        <Uploader />
        <ProblemAlert
          error={documents.error}
          header="Could not load the documents"
        />
        <Table
          variant="container"
          header={<Header variant="h2">Ingested documents</Header>}
          loading={documents.isLoading}
          loadingText="Loading documents"
          items={documents.data?.items ?? []}
          trackBy="id"
          empty={
            <Box textAlign="center">No documents yet: upload some above.</Box>
          }
          pagination={
            <CursorPagination
              pages={pages}
              nextCursor={documents.data?.nextCursor}
            />
          }
          columnDefinitions={[
            {
              id: "title",
              header: "Title",
              cell: (d) => d.title,
              isRowHeader: true,
            },
            { id: "source", header: "Source", cell: (d) => d.source },
            {
              id: "status",
              header: "Status",
              cell: (d) => (
                <StatusIndicator type={STATUS[d.status][0]}>
                  {d.status === "failed" && d.error
                    ? `Failed: ${d.error}`
                    : STATUS[d.status][1]}
                </StatusIndicator>
              ),
            },
            { id: "chunks", header: "Chunks", cell: (d) => d.chunkCount },
            {
              id: "updated",
              header: "Updated",
              cell: (d) => d.updatedAt.toLocaleString(),
            },
            {
              id: "actions",
              header: "Actions",
              cell: (d) => (
                <Button
                  variant="inline-link"
                  ariaLabel={`Delete ${d.title}`}
                  onClick={() => setDeleting(d)}
                >
                  Delete
                </Button>
              ),
            },
          ]}
        />
      </SpaceBetween>
      {deleting && (
        <ConfirmModal
          header="Delete document"
          confirmText="Delete"
          onClose={() => setDeleting(undefined)}
          loading={remove.isLoading}
          error={remove.error}
          onConfirm={() => remove.mutate({ documentId: deleting.id })}
        >
          <Box>
            Delete <b>{deleting.title}</b> and its {deleting.chunkCount} chunks?
            Answers will no longer cite it.
          </Box>
        </ConfirmModal>
      )}
    </ContentLayout>
  );
}
