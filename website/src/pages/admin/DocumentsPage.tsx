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
import { Trans, useTranslation } from "react-i18next";
import { CursorPagination } from "./CursorPagination";
import { SourcesPanel } from "./SourcesPanel";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert } from "../../components/ProblemAlert";
import { toProblem } from "../../lib/api-error";
import { useFormat } from "../../lib/format";
import { uploadWithProgress } from "../../lib/upload";
import { useCursorPages } from "../../lib/use-cursor-pages";
import { checkSession, queryClient } from "../../query-client";

const STATUS: Record<Document["status"], [StatusIndicatorProps.Type, string]> =
  {
    pending: ["in-progress", "documentsPage.ingesting"],
    ready: ["success", "documentsPage.ready"],
    failed: ["error", "documentsPage.failedStatus"],
  };

const ACCEPT =
  ".txt,.md,.markdown,.html,.htm,.pdf,.docx,.pptx,.xlsx,.csv,.eml,.png,.jpg,.jpeg,.tif,.tiff";

/** "Word", "PDF"…: a media type as people name it (a catalogue key where the name is words). */
const TYPE_NAMES: Record<string, string> = {
  "text/plain": "documentsPage.typeText",
  "text/markdown": "Markdown",
  "text/html": "HTML",
  "text/csv": "CSV",
  "application/pdf": "PDF",
  "message/rfc822": "documentsPage.typeEmail",
  "image/png": "documentsPage.typePng",
  "image/jpeg": "documentsPage.typeJpeg",
  "image/tiff": "documentsPage.typeTiff",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
    "Word",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation":
    "PowerPoint",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
};

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
  const { t } = useTranslation();
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
    <Container
      header={<Header variant="h2">{t("documentsPage.upload")}</Header>}
    >
      <SpaceBetween size="m">
        <FormField
          label={t("documentsPage.collection")}
          description={t("documentsPage.onlyTheGroupsThatRead")}
        >
          <Select
            selectedOption={
              collections
                .filter((c) => c.id === collectionId)
                .map(optionOf)[0] ?? {
                value: GENERAL_COLLECTION_ID,
                label: t("documentsPage.general"),
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
          label={t("documentsPage.documents")}
          description={t("documentsPage.textMarkdownHtmlPdfWord")}
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
                multiple
                  ? t("documentsPage.chooseFiles")
                  : t("documentsPage.chooseFile"),
              dropzoneText: (multiple) =>
                multiple
                  ? t("documentsPage.dropFilesToUpload")
                  : t("documentsPage.dropFileToUpload"),
              removeFileAriaLabel: (i) =>
                t("documentsPage.removeFile", { number: i + 1 }),
              limitShowFewer: t("documentsPage.showFewerFiles"),
              limitShowMore: t("documentsPage.showMoreFiles"),
              errorIconAriaLabel: t("documentsPage.error"),
              warningIconAriaLabel: t("documentsPage.warning"),
            }}
          />
        </FormField>
        <Button
          variant="primary"
          disabled={files.length === 0}
          onClick={() => void start()}
        >
          {t("documentsPage.upload")}{" "}
          {files.length > 0
            ? t("documentsPage.files", { count: files.length })
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
            resultText={
              u.status === "done"
                ? t("documentsPage.uploadedIngesting")
                : u.message
            }
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
  const { t } = useTranslation();
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
      header={t("documentsPage.move", { title: document.title })}
      confirmText={t("documentsPage.moveDocument")}
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
        label={t("documentsPage.collection")}
        description={t("documentsPage.fromTheNextQuestionOn")}
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

/** Documents (administrators): upload into a collection with progress, sources kept in sync, the documents with their file, status and chunks, found by title or source, filtered by collection, moved, deleted. */
export default function DocumentsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const all: SelectProps.Option = {
    value: "",
    label: t("documentsPage.allCollections"),
  };
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
    <ContentLayout
      header={<Header variant="h1">{t("documentsPage.documents")}</Header>}
    >
      <SpaceBetween size="l">
        <Uploader collections={collections} />
        <SourcesPanel collections={collections} />
        <ProblemAlert
          error={documents.error}
          header={t("documentsPage.couldNotLoadTheDocuments")}
        />
        <Table
          variant="container"
          header={
            <Header variant="h2">{t("documentsPage.ingestedDocuments")}</Header>
          }
          filter={
            <SpaceBetween direction="horizontal" size="xs">
              <TextFilter
                filteringText={search}
                filteringPlaceholder={t("documentsPage.findByTitleOrSource")}
                filteringAriaLabel={t("documentsPage.findDocumentsByTitleOr")}
                onChange={(e) => {
                  pages.reset();
                  setSearch(e.detail.filteringText);
                }}
              />
              <Select
                ariaLabel={t("documentsPage.collection")}
                selectedOption={
                  collections.filter((c) => c.id === filter).map(optionOf)[0] ??
                  all
                }
                options={[all, ...collections.map(optionOf)]}
                onChange={(e) => {
                  pages.reset();
                  setFilter(e.detail.selectedOption.value ?? "");
                }}
              />
            </SpaceBetween>
          }
          loading={documents.isLoading}
          loadingText={t("documentsPage.loadingDocuments")}
          items={documents.data?.items ?? []}
          trackBy="id"
          empty={
            <Box textAlign="center">
              {t("documentsPage.noDocumentsYetUploadSome")}
            </Box>
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
              header: t("documentsPage.title"),
              cell: (d) => d.title,
              isRowHeader: true,
            },
            {
              id: "collection",
              header: t("documentsPage.collection"),
              cell: (d) => d.collectionName,
            },
            {
              id: "file",
              header: t("documentsPage.file"),
              cell: (d) => d.fileName ?? "—",
            },
            {
              id: "type",
              header: t("documentsPage.type"),
              cell: (d) =>
                d.mediaType ? t(TYPE_NAMES[d.mediaType] ?? d.mediaType) : "—",
            },
            {
              id: "size",
              header: t("documentsPage.size"),
              cell: (d) =>
                d.sizeBytes === undefined ? "—" : format.bytes(d.sizeBytes),
            },
            {
              id: "pages",
              header: t("documentsPage.pages"),
              cell: (d) => d.pages ?? "—",
            },
            {
              id: "chunks",
              header: t("documentsPage.chunks"),
              cell: (d) => d.chunkCount,
            },
            {
              id: "status",
              header: t("documentsPage.status"),
              cell: (d) => (
                <StatusIndicator type={STATUS[d.status][0]}>
                  {d.status === "failed" && d.error
                    ? t("documentsPage.failed", { error: d.error })
                    : d.ocrPages > 0
                      ? t("documentsPage.withOcrPages", {
                          status: t(STATUS[d.status][1]),
                          count: d.ocrPages,
                        })
                      : t(STATUS[d.status][1])}
                </StatusIndicator>
              ),
            },
            {
              id: "source",
              header: t("documentsPage.source"),
              cell: (d) => d.source,
            },
            {
              id: "uploaded",
              header: t("documentsPage.uploaded"),
              cell: (d) =>
                t("documentsPage.uploadedByAt", {
                  who: d.uploadedBy ?? "CLI",
                  at: format.dateTime(d.createdAt),
                }),
            },
            {
              id: "actions",
              header: t("documentsPage.actions"),
              cell: (d) => (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button
                    variant="inline-link"
                    ariaLabel={t("documentsPage.move", { title: d.title })}
                    onClick={() => setMoving(d)}
                  >
                    {t("documentsPage.moveDocument")}
                  </Button>
                  <Button
                    variant="inline-link"
                    ariaLabel={t("documentsPage.delete", { title: d.title })}
                    onClick={() => setDeleting(d)}
                  >
                    {t("documentsPage.deleteConfirm")}
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
          header={t("documentsPage.deleteDocument")}
          confirmText={t("documentsPage.deleteConfirm")}
          onClose={() => setDeleting(undefined)}
          loading={remove.isLoading}
          error={remove.error}
          onConfirm={() => remove.mutate({ documentId: deleting.id })}
        >
          <Box>
            <Trans
              i18nKey="documentsPage.deleteQuestion"
              values={{ title: deleting.title, count: deleting.chunkCount }}
              components={{ b: <b /> }}
            />
          </Box>
        </ConfirmModal>
      )}
    </ContentLayout>
  );
}
