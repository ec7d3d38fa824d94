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
import { useState } from "react";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { queryClient } from "../../query-client";

const refresh = () => void queryClient.invalidateQueries(["listSources"]);

/** "12 documents; added 2, removed 1, 3 unchanged": a source's state at a glance. */
function lastSync(s: DocumentSource): string {
  if (!s.lastSync || !s.lastSyncAt) return "Never synced";
  const l = s.lastSync;
  const parts = [
    l.started !== undefined && `${l.started} sent to ingestion`,
    l.added !== undefined && `${l.added} added`,
    l.updated !== undefined && `${l.updated} updated`,
    `${l.unchanged} unchanged`,
    `${l.removed} removed`,
  ].filter(Boolean);
  return `${s.lastSyncAt.toLocaleString()}: ${parts.join(", ")}`;
}

/** Registers an S3 bucket and prefix as a source of a collection. */
function AddSourceModal({
  collections,
  onClose,
}: {
  collections: readonly Collection[];
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [bucket, setBucket] = useState("");
  const [prefix, setPrefix] = useState("");
  const [collectionId, setCollectionId] = useState(collections[0]?.id ?? "");
  const create = useCreateSource({ onSuccess: () => (refresh(), onClose()) });
  const errors = errorsByPath(useProblem(create.error)?.fields ?? []);
  const chosen = collections.find((c) => c.id === collectionId);
  return (
    <ConfirmModal
      header="Add an S3 source"
      confirmText="Add"
      onClose={onClose}
      loading={create.isLoading}
      error={create.error}
      onConfirm={() =>
        create.mutate({ newS3Source: { name, bucket, prefix, collectionId } })
      }
    >
      <FormField
        label="Name"
        description="Its documents go by <name>/<path under the prefix>"
        errorText={errors.name}
      >
        <Input
          value={name}
          onChange={(e) => setName(e.detail.value)}
          autoFocus
        />
      </FormField>
      <FormField
        label="Bucket"
        description="One of the deployment's source buckets"
        errorText={errors.bucket}
      >
        <Input value={bucket} onChange={(e) => setBucket(e.detail.value)} />
      </FormField>
      <FormField
        label="Prefix"
        description="A folder such as policies/, or empty for the whole bucket"
        errorText={errors.prefix}
      >
        <Input value={prefix} onChange={(e) => setPrefix(e.detail.value)} />
      </FormField>
      <FormField label="Collection" errorText={errors.collectionId}>
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
  const sources = useListSources();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<DocumentSource>();
  const remove = useDeleteSource({
    onSuccess: () => (refresh(), setRemoving(undefined)),
  });
  return (
    <>
      <ProblemAlert error={sources.error} header="Could not load the sources" />
      <Table
        variant="container"
        header={
          <Header
            variant="h2"
            description="Collections kept equal to an S3 prefix (synced hourly and on each change) or to a folder (sextant sync)"
            actions={
              <Button onClick={() => setAdding(true)}>Add S3 source</Button>
            }
          >
            Sources
          </Header>
        }
        loading={sources.isLoading}
        loadingText="Loading sources"
        items={sources.data?.items ?? []}
        trackBy="id"
        empty={
          <Box textAlign="center">
            No sources: documents come from uploads only.
          </Box>
        }
        columnDefinitions={[
          {
            id: "name",
            header: "Name",
            cell: (s) => s.name,
            isRowHeader: true,
          },
          {
            id: "from",
            header: "From",
            cell: (s) =>
              s.kind === "s3"
                ? `s3://${s.bucket}/${s.prefix ?? ""}`
                : "A folder (sextant sync)",
          },
          {
            id: "collection",
            header: "Collection",
            cell: (s) => s.collectionName,
          },
          { id: "documents", header: "Documents", cell: (s) => s.documents },
          {
            id: "failures",
            header: "Failures",
            cell: (s) =>
              s.failures.length ? (
                <StatusIndicator type="error">
                  {s.failures.map((f) => `${f.source}: ${f.error}`).join("; ")}
                </StatusIndicator>
              ) : (
                "None"
              ),
          },
          { id: "sync", header: "Last sync", cell: lastSync },
          {
            id: "actions",
            header: "Actions",
            cell: (s) => (
              <Button
                variant="inline-link"
                ariaLabel={`Remove source ${s.name}`}
                onClick={() => setRemoving(s)}
              >
                Remove
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
          header="Remove source"
          confirmText="Remove"
          onClose={() => setRemoving(undefined)}
          loading={remove.isLoading}
          error={remove.error}
          onConfirm={() => remove.mutate({ sourceId: removing.id })}
        >
          <Box>
            Stop syncing <b>{removing.name}</b>? Its {removing.documents}{" "}
            documents stay in {removing.collectionName}.
          </Box>
        </ConfirmModal>
      )}
    </>
  );
}
