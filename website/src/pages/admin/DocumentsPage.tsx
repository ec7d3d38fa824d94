import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import FileUpload from "@cloudscape-design/components/file-upload";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import ProgressBar from "@cloudscape-design/components/progress-bar";
import Select, { type SelectProps } from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator, {
  type StatusIndicatorProps,
} from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import TextFilter from "@cloudscape-design/components/text-filter";
import {
  DefaultApiClientContext,
  useDeleteDocument,
  useListCollections,
  useListDocuments,
  useUpdateDocument,
  type Collection,
  type Document,
} from "@sextant/api-typescript-react-query-hooks";
import { GENERAL_COLLECTION_ID } from "@sextant/core/well-known-ids";
import { useContext, useState } from "react";
import { CursorPagination } from "./CursorPagination";
import { SourcesPanel } from "./SourcesPanel";
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

const ACCEPT =
  ".txt,.md,.markdown,.html,.htm,.pdf,.docx,.pptx,.xlsx,.csv,.eml,.png,.jpg,.jpeg,.tif,.tiff";

/** "Word", "PDF"…: a media type as people name it. */
const TYPE_NAMES: Record<string, string> = {
  "text/plain": "Text",
  "text/markdown": "Markdown",
  "text/html": "HTML",
  "text/csv": "CSV",
  "application/pdf": "PDF",
  "message/rfc822": "E-mail",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/tiff": "TIFF image",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
    "Word",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation":
    "PowerPoint",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
};

const bytes = new Intl.NumberFormat(undefined, {
  notation: "compact",
  style: "unit",
  unit: "byte",
  unitDisplay: "narrow",
});

/** One file's upload: its progress, then its outcome. */
interface UploadState {
  readonly name: string;
  readonly progress: number;
  readonly status: "uploading" | "done" | "failed";
  readonly message?: string;
}

const optionOf = (c: Collection): SelectProps.Option => ({
  value: c.id,
  label: c.name,
});

/** Uploads each file into the chosen collection through a presigned URL (`POST /admin/documents/upload-url`, then PUT), with per-file progress. */
function Uploader({ collections }: { collections: Collection[] }) {
  const api = useContext(DefaultApiClientContext)!;
  const [collectionId, setCollectionId] = useState(GENERAL_COLLECTION_ID);
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
            uploadRequest: {
              filename: file.name,
              size: file.size,
              collectionId,
            },
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
          label="Collection"
          description="Only the groups that read it will find these documents"
        >
          <Select
            selectedOption={
              collections
                .filter((c) => c.id === collectionId)
                .map(optionOf)[0] ?? {
                value: GENERAL_COLLECTION_ID,
                label: "General",
              }
            }
            options={collections.map(optionOf)}
            onChange={(e) =>
              setCollectionId(
                e.detail.selectedOption.value ?? GENERAL_COLLECTION_ID,
              )
            }
          />
        </FormField>
        <FormField
          label="Documents"
          description="Text, Markdown, HTML, PDF, Word, PowerPoint, Excel, CSV, e-mail, or scans (PNG, JPEG, TIFF: read by OCR), up to 50 MiB each. Ingestion starts when the upload completes."
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

/** Moves a document to another collection: every passage with it, from the next question on. */
function MoveModal({
  document,
  collections,
  onClose,
}: {
  document: Document;
  collections: Collection[];
  onClose: () => void;
}) {
  const [collectionId, setCollectionId] = useState(document.collectionId);
  const move = useUpdateDocument({
    onSuccess: () => {
      void queryClient.invalidateQueries(["listDocuments"]);
      void queryClient.invalidateQueries(["listCollections"]);
      onClose();
    },
  });
  return (
    <ConfirmModal
      header={`Move ${document.title}`}
      confirmText="Move"
      onClose={onClose}
      loading={move.isLoading}
      error={move.error}
      onConfirm={() =>
        move.mutate({
          documentId: document.id,
          documentChanges: { collectionId },
        })
      }
    >
      <FormField
        label="Collection"
        description="From the next question on, only its readers find this document"
      >
        <Select
          selectedOption={
            collections.filter((c) => c.id === collectionId).map(optionOf)[0] ??
            null
          }
          options={collections.map(optionOf)}
          onChange={(e) =>
            setCollectionId(e.detail.selectedOption.value ?? collectionId)
          }
        />
      </FormField>
    </ConfirmModal>
  );
}

const ALL: SelectProps.Option = { value: "", label: "All collections" };

/** Documents (administrators): upload into a collection with progress, sources kept in sync, the documents with their file, status and chunks, found by title or source, filtered by collection, moved, deleted. */
export default function DocumentsPage() {
  const pages = useCursorPages();
  const collections = useListCollections().data?.items ?? [];
  const [filter, setFilter] = useState("");
  const [search, setSearch] = useState("");
  const [moving, setMoving] = useState<Document>();
  const documents = useListDocuments(
    {
      limit: 50,
      cursor: pages.cursor,
      collectionId: filter || undefined,
      search: search.trim() || undefined,
    },
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
        <Uploader collections={collections} />
        <SourcesPanel collections={collections} />
        <ProblemAlert
          error={documents.error}
          header="Could not load the documents"
        />
        <Table
          variant="container"
          header={<Header variant="h2">Ingested documents</Header>}
          filter={
            <SpaceBetween direction="horizontal" size="xs">
              <TextFilter
                filteringText={search}
                filteringPlaceholder="Find by title or source"
                filteringAriaLabel="Find documents by title or source"
                onChange={(e) => {
                  pages.reset();
                  setSearch(e.detail.filteringText);
                }}
              />
              <Select
                ariaLabel="Collection"
                selectedOption={
                  collections.filter((c) => c.id === filter).map(optionOf)[0] ??
                  ALL
                }
                options={[ALL, ...collections.map(optionOf)]}
                onChange={(e) => {
                  pages.reset();
                  setFilter(e.detail.selectedOption.value ?? "");
                }}
              />
            </SpaceBetween>
          }
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
            {
              id: "collection",
              header: "Collection",
              cell: (d) => d.collectionName,
            },
            { id: "file", header: "File", cell: (d) => d.fileName ?? "—" },
            {
              id: "type",
              header: "Type",
              cell: (d) =>
                d.mediaType ? (TYPE_NAMES[d.mediaType] ?? d.mediaType) : "—",
            },
            {
              id: "size",
              header: "Size",
              cell: (d) =>
                d.sizeBytes === undefined ? "—" : bytes.format(d.sizeBytes),
            },
            { id: "pages", header: "Pages", cell: (d) => d.pages ?? "—" },
            { id: "chunks", header: "Chunks", cell: (d) => d.chunkCount },
            {
              id: "status",
              header: "Status",
              cell: (d) => (
                <StatusIndicator type={STATUS[d.status][0]}>
                  {d.status === "failed" && d.error
                    ? `Failed: ${d.error}`
                    : `${STATUS[d.status][1]}${d.ocrPages > 0 ? ` (OCR: ${d.ocrPages} page${d.ocrPages === 1 ? "" : "s"})` : ""}`}
                </StatusIndicator>
              ),
            },
            { id: "source", header: "Source", cell: (d) => d.source },
            {
              id: "uploaded",
              header: "Uploaded",
              cell: (d) =>
                `${d.uploadedBy ?? "CLI"}, ${d.createdAt.toLocaleString()}`,
            },
            {
              id: "actions",
              header: "Actions",
              cell: (d) => (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button
                    variant="inline-link"
                    ariaLabel={`Move ${d.title}`}
                    onClick={() => setMoving(d)}
                  >
                    Move
                  </Button>
                  <Button
                    variant="inline-link"
                    ariaLabel={`Delete ${d.title}`}
                    onClick={() => setDeleting(d)}
                  >
                    Delete
                  </Button>
                </SpaceBetween>
              ),
            },
          ]}
        />
      </SpaceBetween>
      {moving && (
        <MoveModal
          document={moving}
          collections={collections}
          onClose={() => setMoving(undefined)}
        />
      )}
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
