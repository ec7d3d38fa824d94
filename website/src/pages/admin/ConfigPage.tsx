import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Form from "@cloudscape-design/components/form";
import Header from "@cloudscape-design/components/header";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import Table from "@cloudscape-design/components/table";
import Tabs from "@cloudscape-design/components/tabs";
import {
  useGetInferenceConfig,
  useListInferenceConfigVersions,
  useRestoreInferenceConfigVersion,
  useUpdateInferenceConfig,
  type InferenceConfig,
  type InferenceConfigVersion,
} from "@sextant/api-typescript-react-query-hooks";
import {
  diffConfig,
  EMBEDDING_PROVIDERS,
  TEXT_PROVIDERS,
  validateInferenceConfig,
  type ConfigChange,
} from "@sextant/core";
import { useState } from "react";
import {
  ConfigField,
  errorsByPath,
  type ConfigFieldProps,
} from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { statusOf } from "../../lib/api-error";
import { applyChanges } from "../../lib/paths";
import { refreshInferenceConfig } from "../../query-client";

type Field = Omit<
  ConfigFieldProps<InferenceConfig>,
  "value" | "onChange" | "errors"
>;

const textModel = (step: string): Field[] => [
  {
    path: `models.${step}.provider`,
    label: "Provider",
    kind: "select",
    options: TEXT_PROVIDERS,
  },
  { path: `models.${step}.modelId`, label: "Model id", kind: "text" },
  {
    path: `models.${step}.endpoint`,
    label: "Endpoint",
    description: "SageMaker endpoint name or OpenAI-compatible base URL",
    kind: "text",
  },
  {
    path: `models.${step}.temperature`,
    label: "Temperature",
    description: "0 to 1",
    kind: "number",
  },
  { path: `models.${step}.maxTokens`, label: "Maximum tokens", kind: "number" },
];

/** Every field of the inference configuration, by tab. */
const SECTIONS: { id: string; label: string; fields: Field[] }[] = [
  {
    id: "retrieval",
    label: "Retrieval",
    fields: [
      { path: "retrieval.k", label: "Passages per answer (k)", kind: "number" },
      {
        path: "retrieval.minScore",
        label: "Minimum score",
        description: "Passages scoring below are dropped, 0 to 1",
        kind: "number",
      },
      {
        path: "retrieval.vectorWeight",
        label: "Vector weight",
        description: "Weight of semantic search in the fusion",
        kind: "number",
      },
      {
        path: "retrieval.textWeight",
        label: "Full-text weight",
        description: "Weight of keyword search in the fusion",
        kind: "number",
      },
      {
        path: "retrieval.rrfK",
        label: "Fusion constant (RRF k)",
        kind: "number",
      },
      {
        path: "retrieval.relatedWordWeight",
        label: "Related-word weight",
        description:
          "Weight of words close in meaning to the question's in keyword search, 0 (off) to 1",
        kind: "number",
      },
      {
        path: "historyTurns",
        label: "History turns",
        description: "Conversation turns the condense step reads",
        kind: "number",
      },
      {
        path: "guardrails.maxQuestionLength",
        label: "Longest question",
        description: "Characters",
        kind: "number",
      },
      {
        path: "guardrails.requireSources",
        label: "Require sources",
        description: "Answer only from retrieved documents",
        kind: "toggle",
      },
    ],
  },
  {
    id: "prompts",
    label: "Prompts",
    fields: [
      { path: "prompts.classify", label: "Classify", kind: "textarea" },
      { path: "prompts.condense", label: "Condense", kind: "textarea" },
      { path: "prompts.answer", label: "Answer", kind: "textarea" },
    ],
  },
  {
    id: "models",
    label: "Models",
    fields: [
      ...textModel("answer"),
      ...textModel("condense"),
      ...textModel("classify"),
      {
        path: "models.embeddings.provider",
        label: "Embeddings provider",
        kind: "select",
        options: EMBEDDING_PROVIDERS,
      },
      {
        path: "models.embeddings.modelId",
        label: "Embeddings model id",
        kind: "text",
      },
      {
        path: "models.embeddings.endpoint",
        label: "Embeddings endpoint",
        kind: "text",
      },
      {
        path: "models.embeddings.dimensions",
        label: "Dimensions",
        description: "Changing it requires re-ingesting every document",
        kind: "number",
      },
    ],
  },
];

const show = (v: unknown) =>
  v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v);

/** The saved versions, newest first, each restorable as a new version. */
function VersionHistory({
  current,
  onRestored,
}: {
  current: number;
  onRestored: () => void;
}) {
  const versions = useListInferenceConfigVersions();
  const [restoring, setRestoring] = useState<InferenceConfigVersion>();
  const restore = useRestoreInferenceConfigVersion({
    onSuccess: () => {
      setRestoring(undefined);
      onRestored();
    },
  });
  return (
    <>
      <Table
        variant="container"
        header={
          <Header
            variant="h2"
            description="Restoring saves the old version's settings as a new version"
          >
            Version history
          </Header>
        }
        loading={versions.isLoading}
        loadingText="Loading versions"
        items={versions.data?.items ?? []}
        trackBy="version"
        columnDefinitions={[
          {
            id: "version",
            header: "Version",
            cell: (v) =>
              v.version === current ? `${v.version} (current)` : v.version,
            isRowHeader: true,
          },
          {
            id: "author",
            header: "Saved by",
            cell: (v) => v.author ?? "built-in default",
          },
          {
            id: "when",
            header: "Saved",
            cell: (v) => v.createdAt?.toLocaleString() ?? "—",
          },
          {
            id: "restore",
            header: "Actions",
            cell: (v) => (
              <Button
                variant="inline-link"
                disabled={v.version === current}
                ariaLabel={`Restore version ${v.version}`}
                onClick={() => setRestoring(v)}
              >
                Restore
              </Button>
            ),
          },
        ]}
      />
      {restoring && (
        <ConfirmModal
          header={`Restore version ${restoring.version}`}
          confirmText="Restore"
          onClose={() => setRestoring(undefined)}
          loading={restore.isLoading}
          error={restore.error}
          onConfirm={() =>
            restore.mutate({ version: String(restoring.version) })
          }
        >
          <Box>
            Save version {restoring.version}&apos;s settings as the new current
            configuration? Every next answer uses them.
          </Box>
        </ConfirmModal>
      )}
    </>
  );
}

/**
 * The inference-configuration editor (administrators): every field with the API's own validation
 * messages, a field-by-field diff before saving, a conflict dialog when someone else saved first
 * (412), and the version history with restore.
 */
export default function ConfigPage() {
  const current = useGetInferenceConfig();
  const [draft, setDraft] = useState<InferenceConfig>();
  const [reviewing, setReviewing] = useState(false);
  /** On 412: the changes that were not saved, to re-apply on top of the newer version. */
  const [conflict, setConflict] = useState<ConfigChange[]>();
  const reload = () => {
    setDraft(undefined);
    refreshInferenceConfig();
  };
  const save = useUpdateInferenceConfig({
    onSuccess: () => {
      setReviewing(false);
      reload();
    },
    onError: (e) => {
      if (statusOf(e) === 412 && current.data) {
        setReviewing(false);
        setConflict(
          diffConfig(current.data.config, draft ?? current.data.config),
        );
      }
    },
  });
  const saveProblem = useProblem(save.error);

  if (!current.data)
    return current.isError ? (
      <ProblemAlert
        error={current.error}
        header="Could not load the configuration"
      />
    ) : (
      <Spinner size="large" />
    );
  const base = current.data;
  const editing = draft ?? base.config;
  const check = validateInferenceConfig(editing);
  const errors = {
    ...errorsByPath(saveProblem?.fields ?? []),
    ...(check.ok ? {} : errorsByPath(check.fields)),
  };
  const changes = diffConfig(base.config, editing);
  const version = base.version;
  const keepMine = async (mine: ConfigChange[]) => {
    setConflict(undefined);
    const latest = (await current.refetch()).data;
    if (latest) setDraft(applyChanges(latest.config, mine));
  };

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={`Version ${base.version}${base.author ? `, saved by ${base.author}` : " (built-in default)"}`}
        >
          Inference configuration
        </Header>
      }
    >
      <SpaceBetween size="l">
        <form onSubmit={(e) => e.preventDefault()}>
          <Form
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  disabled={changes.length === 0}
                  onClick={() => setDraft(undefined)}
                >
                  Discard changes
                </Button>
                <Button
                  variant="primary"
                  disabled={changes.length === 0 || !check.ok}
                  onClick={() => setReviewing(true)}
                >
                  Review and save ({changes.length})
                </Button>
              </SpaceBetween>
            }
            errorText={
              !check.ok
                ? "Some fields are invalid: see the messages at each field."
                : undefined
            }
          >
            <Container>
              <Tabs
                ariaLabel="Configuration sections"
                i18nStrings={{
                  scrollLeftAriaLabel: "Scroll left",
                  scrollRightAriaLabel: "Scroll right",
                }}
                tabs={SECTIONS.map((section) => ({
                  id: section.id,
                  label: section.label,
                  content: (
                    <ColumnLayout columns={section.id === "prompts" ? 1 : 2}>
                      {section.fields.map((f) => (
                        <ConfigField
                          key={f.path}
                          {...f}
                          value={editing}
                          onChange={setDraft}
                          errors={errors}
                        />
                      ))}
                    </ColumnLayout>
                  ),
                }))}
              />
            </Container>
          </Form>
        </form>
        <VersionHistory current={base.version} onRestored={reload} />
      </SpaceBetween>

      {reviewing && (
        <ConfirmModal
          header={`Save as version ${version + 1}?`}
          confirmText="Save"
          onClose={() => setReviewing(false)}
          loading={save.isLoading}
          error={save.error}
          onConfirm={() =>
            save.mutate({ inferenceConfig: editing, ifMatch: `"${version}"` })
          }
        >
          <Table
            variant="embedded"
            items={changes}
            trackBy="path"
            columnDefinitions={[
              {
                id: "path",
                header: "Field",
                cell: (c) => <code>{c.path}</code>,
                isRowHeader: true,
              },
              {
                id: "from",
                header: `Version ${version}`,
                cell: (c) => show(c.from),
              },
              { id: "to", header: "New", cell: (c) => show(c.to) },
            ]}
          />
        </ConfirmModal>
      )}
      {conflict && (
        <ConfirmModal
          header="Someone else saved first"
          confirmText="Keep my changes"
          onClose={() => setConflict(undefined)}
          onConfirm={() => void keepMine(conflict)}
        >
          <Box>
            Another administrator saved a newer version while you were editing,
            so nothing was saved. Keep your changes to apply them on top of the
            newer version and review again (your values win where you both
            changed a field), or discard them.
          </Box>
          <Button
            onClick={() => {
              setConflict(undefined);
              reload();
            }}
          >
            Discard mine and load the newer version
          </Button>
        </ConfirmModal>
      )}
    </ContentLayout>
  );
}
