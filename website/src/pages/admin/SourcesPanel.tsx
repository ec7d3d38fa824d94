import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import Select from "@cloudscape-design/components/select";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import {
  useCreateSource,
  useDeleteSource,
  useListSources,
  type Collection,
  type DocumentSource,
} from "@sextant/api-typescript-react-query-hooks";
import type { TFunction } from "i18next";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { formatters, useFormat } from "../../lib/format";
import { queryClient } from "../../query-client";

const refresh = () => void queryClient.invalidateQueries(["listSources"]);

/** "12 documents; added 2, removed 1, 3 unchanged": a source's state at a glance. */
function lastSync(
  s: DocumentSource,
  t: TFunction,
  format: ReturnType<typeof formatters>,
): string {
  if (!s.lastSync || !s.lastSyncAt) return t("sourcesPanel.neverSynced");
  const l = s.lastSync;
  const parts = [
    l.started !== undefined && t("sourcesPanel.started", { count: l.started }),
    l.added !== undefined && t("sourcesPanel.added", { count: l.added }),
    l.updated !== undefined && t("sourcesPanel.updated", { count: l.updated }),
    t("sourcesPanel.unchanged", { count: l.unchanged }),
    t("sourcesPanel.removed", { count: l.removed }),
  ].filter((p): p is string => !!p);
  return t("sourcesPanel.syncedAt", {
    at: format.dateTime(s.lastSyncAt),
    what: format.list(parts),
  });
}

/** Registers an S3 bucket and prefix as a source of a collection. */
function AddSourceModal({
  collections,
  onClose,
}: {
  collections: readonly Collection[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [bucket, setBucket] = useState("");
  const [prefix, setPrefix] = useState("");
  const [collectionId, setCollectionId] = useState(collections[0]?.id ?? "");
  const create = useCreateSource({ onSuccess: () => (refresh(), onClose()) });
  const errors = errorsByPath(useProblem(create.error)?.fields ?? []);
  const chosen = collections.find((c) => c.id === collectionId);
  return (
    <ConfirmModal
      header={t("sourcesPanel.addAnS3Source")}
      confirmText={t("sourcesPanel.add")}
      onClose={onClose}
      loading={create.isLoading}
      error={create.error}
      onConfirm={() =>
        create.mutate({ newS3Source: { name, bucket, prefix, collectionId } })
      }
    >
      <FormField
        label={t("sourcesPanel.name")}
        description={t("sourcesPanel.itsDocumentsGoByName")}
        errorText={errors.name}
      >
        <Input
          value={name}
          onChange={(e) => setName(e.detail.value)}
          autoFocus
        />
      </FormField>
      <FormField
        label={t("sourcesPanel.bucket")}
        description={t("sourcesPanel.oneOfTheDeploymentS")}
        errorText={errors.bucket}
      >
        <Input value={bucket} onChange={(e) => setBucket(e.detail.value)} />
      </FormField>
      <FormField
        label={t("sourcesPanel.prefix")}
        description={t("sourcesPanel.aFolderSuchAsPolicies")}
        errorText={errors.prefix}
      >
        <Input value={prefix} onChange={(e) => setPrefix(e.detail.value)} />
      </FormField>
      <FormField
        label={t("sourcesPanel.collection")}
        errorText={errors.collectionId}
      >
        <Select
          selectedOption={
            chosen ? { value: chosen.id, label: chosen.name } : null
          }
          options={collections.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(e) => setCollectionId(e.detail.selectedOption.value ?? "")}
        />
      </FormField>
    </ConfirmModal>
  );
}

/** The sources collections are kept equal to: S3 prefixes (added here) and folders (`sextant sources add`). */
export function SourcesPanel({
  collections,
}: {
  collections: readonly Collection[];
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const sources = useListSources();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<DocumentSource>();
  const remove = useDeleteSource({
    onSuccess: () => (refresh(), setRemoving(undefined)),
  });
  return (
    <>
      <ProblemAlert
        error={sources.error}
        header={t("sourcesPanel.couldNotLoadTheSources")}
      />
      <Table
        variant="container"
        header={
          <Header
            variant="h2"
            description={t("sourcesPanel.collectionsKeptEqualToAn")}
            actions={
              <Button onClick={() => setAdding(true)}>
                {t("sourcesPanel.addS3Source")}
              </Button>
            }
          >
            {t("sourcesPanel.sources")}
          </Header>
        }
        loading={sources.isLoading}
        loadingText={t("sourcesPanel.loadingSources")}
        items={sources.data?.items ?? []}
        trackBy="id"
        empty={
          <Box textAlign="center">
            {t("sourcesPanel.noSourcesDocumentsComeFrom")}
          </Box>
        }
        columnDefinitions={[
          {
            id: "name",
            header: t("sourcesPanel.name"),
            cell: (s) => s.name,
            isRowHeader: true,
          },
          {
            id: "from",
            header: t("sourcesPanel.from"),
            cell: (s) =>
              s.kind === "s3"
                ? // eslint-disable-next-line i18next/no-literal-string -- an S3 URI, the same in every language
                  `s3://${s.bucket}/${s.prefix ?? ""}`
                : t("sourcesPanel.aFolderSextantSync"),
          },
          {
            id: "collection",
            header: t("sourcesPanel.collection"),
            cell: (s) => s.collectionName,
          },
          {
            id: "documents",
            header: t("sourcesPanel.documents"),
            cell: (s) => s.documents,
          },
          {
            id: "failures",
            header: t("sourcesPanel.failures"),
            cell: (s) =>
              s.failures.length ? (
                <StatusIndicator type="error">
                  {s.failures.map((f) => `${f.source}: ${f.error}`).join("; ")}
                </StatusIndicator>
              ) : (
                t("sourcesPanel.none")
              ),
          },
          {
            id: "sync",
            header: t("sourcesPanel.lastSync"),
            cell: (s) => lastSync(s, t, format),
          },
          {
            id: "actions",
            header: t("sourcesPanel.actions"),
            cell: (s) => (
              <Button
                variant="inline-link"
                ariaLabel={t("sourcesPanel.removeSource", { name: s.name })}
                onClick={() => setRemoving(s)}
              >
                {t("sourcesPanel.remove")}
              </Button>
            ),
          },
        ]}
      />
      {adding && (
        <AddSourceModal
          collections={collections}
          onClose={() => setAdding(false)}
        />
      )}
      {removing && (
        <ConfirmModal
          header={t("sourcesPanel.removeSourceConfirm")}
          confirmText={t("sourcesPanel.remove")}
          onClose={() => setRemoving(undefined)}
          loading={remove.isLoading}
          error={remove.error}
          onConfirm={() => remove.mutate({ sourceId: removing.id })}
        >
          <Box>
            <Trans
              i18nKey="sourcesPanel.removeQuestion"
              values={{
                name: removing.name,
                count: removing.documents,
                collection: removing.collectionName,
              }}
              components={{ b: <b /> }}
            />
          </Box>
        </ConfirmModal>
      )}
    </>
  );
}
