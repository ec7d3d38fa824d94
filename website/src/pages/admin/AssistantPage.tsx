import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import Multiselect from "@cloudscape-design/components/multiselect";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import Table from "@cloudscape-design/components/table";
import Tabs from "@cloudscape-design/components/tabs";
import Textarea from "@cloudscape-design/components/textarea";
import Toggle from "@cloudscape-design/components/toggle";
import {
  useGetAssistant,
  useListAssistantVersions,
  useListCollections,
  useRestoreAssistantVersion,
  useUpdateAssistant,
  type Assistant,
  type EvaluationRun,
} from "@sextant/api-typescript-react-query-hooks";
import {
  diffConfig,
  EMBEDDING_PROVIDERS,
  LOCAL_RERANK_MODEL,
  RERANK_PROVIDERS,
  TEXT_PROVIDERS,
  validateInferenceConfig,
  type ConfigChange,
} from "@sextant/core";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { EvaluatePanel } from "./EvaluatePanel";
import {
  ConfigField,
  errorsByPath,
  type ConfigFieldProps,
} from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { statusOf } from "../../lib/api-error";
import { parseGroups } from "../../lib/groups";
import { applyChanges, getAt, withAt } from "../../lib/paths";
import { queryClient } from "../../query-client";

/** What an administrator edits: the assistant's settings and its configuration. */
type Draft = Omit<Assistant, "id" | "version" | "author" | "createdAt">;
type Field = Omit<ConfigFieldProps<Draft>, "value" | "onChange" | "errors">;

const draftOf = (a: Assistant): Draft => ({
  name: a.name,
  description: a.description,
  collectionIds: a.collectionIds,
  allCollections: a.allCollections,
  groups: a.groups,
  everyone: a.everyone,
  config: a.config,
});

const refresh = () => {
  for (const key of [
    "getAssistant",
    "listAssistantVersions",
    "adminListAssistants",
    "listAssistants",
    "getInferenceConfig",
  ])
    void queryClient.invalidateQueries([key]);
};

const textModel = (step: string): Field[] => [
  {
    path: `config.models.${step}.provider`,
    label: "Provider",
    kind: "select",
    options: TEXT_PROVIDERS,
  },
  { path: `config.models.${step}.modelId`, label: "Model id", kind: "text" },
  {
    path: `config.models.${step}.endpoint`,
    label: "Endpoint",
    description: "SageMaker endpoint name or OpenAI-compatible base URL",
    kind: "text",
  },
  {
    path: `config.models.${step}.temperature`,
    label: "Temperature",
    description: "0 to 1",
    kind: "number",
  },
  {
    path: `config.models.${step}.maxTokens`,
    label: "Maximum tokens",
    kind: "number",
  },
];

/** Every field of the inference configuration, by tab. */
const SECTIONS: { id: string; label: string; fields: Field[] }[] = [
  {
    id: "retrieval",
    label: "Retrieval",
    fields: [
      {
        path: "config.retrieval.k",
        label: "Passages per answer (k)",
        kind: "number",
      },
      {
        path: "config.retrieval.minScore",
        label: "Minimum score",
        description: "Passages scoring below are dropped, 0 to 1",
        kind: "number",
      },
      {
        path: "config.retrieval.vectorWeight",
        label: "Vector weight",
        description: "Weight of semantic search in the fusion",
        kind: "number",
      },
      {
        path: "config.retrieval.textWeight",
        label: "Full-text weight",
        description: "Weight of keyword search in the fusion",
        kind: "number",
      },
      {
        path: "config.retrieval.rrfK",
        label: "Fusion constant (RRF k)",
        kind: "number",
      },
      {
        path: "config.retrieval.relatedWordWeight",
        label: "Related-word weight",
        description:
          "Weight of words close in meaning to the question's in keyword search, 0 (off) to 1",
        kind: "number",
      },
      {
        path: "config.historyTurns",
        label: "History turns",
        description: "Conversation turns the condense step reads",
        kind: "number",
      },
    ],
  },
  {
    id: "guardrails",
    label: "Guardrails",
    fields: [
      {
        path: "config.guardrails.maxQuestionLength",
        label: "Longest question",
        description: "Characters",
        kind: "number",
      },
      {
        path: "config.guardrails.requireSources",
        label: "Require sources",
        description: "Answer only from retrieved documents",
        kind: "toggle",
      },
      {
        path: "config.guardrails.redactPii",
        label: "Redact personal data",
        description:
          "E-mail addresses, cards, phones, national ids, IP addresses and AWS keys stored and logged as [EMAIL], [CARD], …",
        kind: "toggle",
      },
      {
        path: "config.guardrails.redactBeforeModel",
        label: "Redact before the model too",
        description: "The models see the question redacted as well",
        kind: "toggle",
      },
    ],
  },
  {
    id: "prompts",
    label: "Prompts",
    fields: [
      { path: "config.prompts.classify", label: "Classify", kind: "textarea" },
      { path: "config.prompts.condense", label: "Condense", kind: "textarea" },
      { path: "config.prompts.answer", label: "Answer", kind: "textarea" },
      {
        path: "config.prompts.judge",
        label: "Judge (evaluations)",
        description:
          "How the answer model grades answers when a set is evaluated; empty: the built-in judge prompt",
        kind: "textarea",
      },
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
        path: "config.models.embeddings.provider",
        label: "Embeddings provider",
        kind: "select",
        options: EMBEDDING_PROVIDERS,
      },
      {
        path: "config.models.embeddings.modelId",
        label: "Embeddings model id",
        kind: "text",
      },
      {
        path: "config.models.embeddings.endpoint",
        label: "Embeddings endpoint",
        kind: "text",
      },
      {
        path: "config.models.embeddings.dimensions",
        label: "Dimensions",
        description: "Changing it requires re-ingesting every document",
        kind: "number",
      },
    ],
  },
];

/** The reranker's fields, shown when reranking is on. */
const RERANK_FIELDS: Field[] = [
  {
    path: "config.retrieval.rerank.provider",
    label: "Reranker",
    description:
      "local works offline (word proximity); bedrock and cohere-compatible call a model",
    kind: "select",
    options: RERANK_PROVIDERS,
  },
  {
    path: "config.retrieval.rerank.modelId",
    label: "Reranker model id",
    description: `${LOCAL_RERANK_MODEL} (local), amazon.rerank-v1:0 or cohere.rerank-v3-5:0 (Bedrock)`,
    kind: "text",
  },
  {
    path: "config.retrieval.rerank.endpoint",
    label: "Reranker endpoint",
    description: "Base URL of a Cohere-compatible server (/rerank is added)",
    kind: "text",
  },
  {
    path: "config.retrieval.rerank.candidates",
    label: "Candidates reranked",
    description: "Passages in, at least k; k passages out",
    kind: "number",
  },
];

/**
 * An optional part of the configuration (reranking, a Bedrock guardrail): a switch that sets it to
 * its starting value or removes it, and its fields while it is on.
 */
function OptionalFields({
  path,
  label,
  description,
  initial,
  fields,
  draft,
  setDraft,
  errors,
}: {
  path: string;
  label: string;
  description: string;
  initial: (draft: Draft) => unknown;
  fields: Field[];
  draft: Draft;
  setDraft: (next: Draft) => void;
  errors: Record<string, string>;
}) {
  const on = getAt(draft, path) !== undefined;
  return (
    <SpaceBetween size="s">
      <FormField label={label} description={description}>
        <Toggle
          checked={on}
          onChange={(e) =>
            setDraft(
              withAt(
                draft,
                path,
                e.detail.checked ? initial(draft) : undefined,
              ),
            )
          }
        >
          {on ? "On" : "Off"}
        </Toggle>
      </FormField>
      {on &&
        fields.map((f) => (
          <ConfigField
            key={f.path}
            {...f}
            value={draft}
            onChange={setDraft}
            errors={errors}
          />
        ))}
    </SpaceBetween>
  );
}

/** A Bedrock guardrail's fields, shown when one is applied. */
const BEDROCK_GUARDRAIL_FIELDS: Field[] = [
  {
    path: "config.guardrails.bedrock.guardrailIdentifier",
    label: "Guardrail id or ARN",
    description:
      "Declared in the deployment (context bedrockGuardrails or starterGuardrail)",
    kind: "text",
  },
  {
    path: "config.guardrails.bedrock.guardrailVersion",
    label: "Guardrail version",
    description: "A version number, or DRAFT",
    kind: "text",
  },
  {
    path: "config.guardrails.bedrock.trace",
    label: "Return the guardrail's trace",
    kind: "toggle",
  },
];

type Topic = NonNullable<Draft["config"]["guardrails"]["deniedTopics"]>[number];

/** Topics the assistant declines: each with its example questions and the message it answers with. */
function DeniedTopicsEditor({
  draft,
  setDraft,
  errors,
}: {
  draft: Draft;
  setDraft: (next: Draft) => void;
  errors: Record<string, string>;
}) {
  const topics = draft.config.guardrails.deniedTopics ?? [];
  const setTopics = (next: Topic[]) =>
    setDraft(
      withAt(
        draft,
        "config.guardrails.deniedTopics",
        next.length ? next : undefined,
      ),
    );
  const setTopic = (i: number, change: Partial<Topic>) =>
    setTopics(topics.map((t, j) => (j === i ? { ...t, ...change } : t)));
  const at = (i: number, field: string) =>
    errors[`config.guardrails.deniedTopics.${i}.${field}`];
  return (
    <FormField
      label="Denied topics"
      description="A question close to a topic's examples gets the topic's message, with no sources; each decline is in the audit log"
      stretch
    >
      <SpaceBetween size="m">
        {topics.map((t, i) => (
          <Container
            key={i}
            header={
              <Header
                variant="h3"
                actions={
                  <Button
                    formAction="none"
                    onClick={() => setTopics(topics.filter((_, j) => j !== i))}
                  >
                    Remove
                  </Button>
                }
              >
                {t.name || `Topic ${i + 1}`}
              </Header>
            }
          >
            <SpaceBetween size="s">
              <FormField label="Topic name" errorText={at(i, "name")}>
                <Input
                  value={t.name}
                  onChange={(e) => setTopic(i, { name: e.detail.value })}
                />
              </FormField>
              <FormField
                label="Example questions"
                description="One per line, as users would ask"
                errorText={at(i, "examples")}
              >
                <Textarea
                  rows={3}
                  value={t.examples.join("\n")}
                  onChange={(e) =>
                    setTopic(i, {
                      examples: e.detail.value
                        .split("\n")
                        .map((x) => x.trimStart())
                        .filter((x, j, all) => x || j < all.length - 1),
                    })
                  }
                />
              </FormField>
              <FormField label="Message" errorText={at(i, "message")}>
                <Input
                  value={t.message}
                  onChange={(e) => setTopic(i, { message: e.detail.value })}
                />
              </FormField>
            </SpaceBetween>
          </Container>
        ))}
        <Button
          formAction="none"
          iconName="add-plus"
          onClick={() =>
            setTopics([...topics, { name: "", examples: [""], message: "" }])
          }
        >
          Add a denied topic
        </Button>
      </SpaceBetween>
    </FormField>
  );
}

const show = (v: unknown) =>
  v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v);

/** The saved versions, newest first, each one's configuration restorable as a new version. */
function VersionHistory({
  assistantId,
  current,
}: {
  assistantId: string;
  current: number;
}) {
  const versions = useListAssistantVersions({ assistantId });
  const [restoring, setRestoring] = useState<Assistant>();
  const restore = useRestoreAssistantVersion({
    onSuccess: () => {
      setRestoring(undefined);
      refresh();
    },
  });
  return (
    <>
      <Table
        variant="container"
        header={
          <Header
            variant="h2"
            description="Restoring saves an old version's configuration as a new version; the name, collections and groups stay as they are"
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
            id: "scores",
            header: "Evaluation",
            cell: (v) =>
              v.scores?.length
                ? v.scores
                    .map(
                      (sc) =>
                        `${sc.setName}: hit@${sc.k} ${sc.hitAtK}, MRR ${sc.mrr}`,
                    )
                    .join("; ")
                : "—",
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
            restore.mutate({ assistantId, version: String(restoring.version) })
          }
        >
          <Box>
            Save version {restoring.version}&apos;s configuration as the new
            current one? Every next answer of this assistant uses it.
          </Box>
        </ConfirmModal>
      )}
    </>
  );
}

/** Who uses the assistant and what it searches. */
function AccessFields({
  draft,
  setDraft,
  errors,
}: {
  draft: Draft;
  setDraft: (next: Draft) => void;
  errors: Record<string, string>;
}) {
  const collections = useListCollections();
  const options = (collections.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.name,
  }));
  return (
    <ColumnLayout columns={2}>
      <ConfigField
        path="name"
        label="Name"
        kind="text"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <ConfigField
        path="description"
        label="Description"
        description="What users see when they choose an assistant"
        kind="text"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <ConfigField
        path="allCollections"
        label="Search every collection"
        description="Every collection its user can read (as Default does)"
        kind="toggle"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <FormField
        label="Collections"
        description="Searched as far as each user can read them"
        errorText={
          Object.entries(errors).find(([p]) =>
            p.startsWith("collectionIds"),
          )?.[1]
        }
      >
        <Multiselect
          disabled={draft.allCollections}
          placeholder="Choose collections"
          deselectAriaLabel={(o) => `Remove ${o.label ?? "collection"}`}
          statusType={collections.isLoading ? "loading" : "finished"}
          selectedOptions={options.filter((o) =>
            draft.collectionIds.includes(o.value),
          )}
          options={options}
          onChange={(e) =>
            setDraft({
              ...draft,
              collectionIds: e.detail.selectedOptions.map((o) => o.value!),
            })
          }
        />
      </FormField>
      <ConfigField
        path="everyone"
        label="Everyone signed in may use it"
        kind="toggle"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <FormField
        label="Groups that may use it"
        description="Cognito groups, separated by commas (administrators may use every assistant)"
        errorText={
          Object.entries(errors).find(([p]) => p.startsWith("groups"))?.[1]
        }
      >
        <Input
          value={draft.groups.join(", ")}
          onChange={(e) =>
            setDraft({ ...draft, groups: parseGroups(e.detail.value) })
          }
        />
      </FormField>
    </ColumnLayout>
  );
}

/**
 * An assistant's editor (administrators): who uses it, what it searches, and every field of its
 * configuration, with the API's own validation messages, a field-by-field diff before saving, a
 * conflict dialog when someone else saved first (412), and the version history with restore.
 */
export default function AssistantPage() {
  const { assistantId = "" } = useParams();
  const current = useGetAssistant({ assistantId });
  const [draft, setDraft] = useState<Draft>();
  const [reviewing, setReviewing] = useState(false);
  /** The finished evaluation of the draft under review, saved with it (the quality gate's proof). */
  const [evaluated, setEvaluated] = useState<EvaluationRun>();
  /** On 412: the changes that were not saved, to re-apply on top of the newer version. */
  const [conflict, setConflict] = useState<ConfigChange[]>();
  const reload = () => {
    setDraft(undefined);
    refresh();
  };
  const save = useUpdateAssistant({
    onSuccess: () => {
      setReviewing(false);
      reload();
    },
    onError: (e) => {
      if (statusOf(e) === 412 && current.data) {
        setReviewing(false);
        const base = draftOf(current.data);
        setConflict(diffConfig(base, draft ?? base));
      }
    },
  });
  const saveProblem = useProblem(save.error);

  if (!current.data)
    return current.isError ? (
      <ProblemAlert
        error={current.error}
        header="Could not load the assistant"
      />
    ) : (
      <Spinner size="large" />
    );
  const base = current.data;
  const saved = draftOf(base);
  const editing = draft ?? saved;
  const check = validateInferenceConfig(editing.config);
  const errors = {
    ...errorsByPath(saveProblem?.fields ?? []),
    ...(check.ok
      ? {}
      : errorsByPath(
          check.fields.map((f) => ({ ...f, path: `config.${f.path}` })),
        )),
  };
  const changes = diffConfig(saved, editing);
  const version = base.version;
  const keepMine = async (mine: ConfigChange[]) => {
    setConflict(undefined);
    const latest = (await current.refetch()).data;
    if (latest) setDraft(applyChanges(draftOf(latest), mine));
  };

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={`Version ${base.version}${base.author ? `, saved by ${base.author}` : " (built-in default)"}`}
        >
          {base.name}
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
                  onClick={() => {
                    setEvaluated(undefined);
                    setReviewing(true);
                  }}
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
                tabs={[
                  {
                    id: "access",
                    label: "Access",
                    content: (
                      <AccessFields
                        draft={editing}
                        setDraft={setDraft}
                        errors={errors}
                      />
                    ),
                  },
                ].concat(
                  SECTIONS.map((section) => ({
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
                        {section.id === "retrieval" && (
                          <OptionalFields
                            path="config.retrieval.rerank"
                            label="Rerank"
                            description="Reorder the search's first candidates with a reranker before the answer"
                            initial={(d) => ({
                              provider: "local",
                              modelId: LOCAL_RERANK_MODEL,
                              candidates: Math.max(
                                10,
                                Number(d.config.retrieval.k) || 0,
                              ),
                            })}
                            fields={RERANK_FIELDS}
                            draft={editing}
                            setDraft={setDraft}
                            errors={errors}
                          />
                        )}
                        {section.id === "guardrails" && (
                          <>
                            <OptionalFields
                              path="config.guardrails.bedrock"
                              label="Bedrock guardrail"
                              description="Applied to every question and answer (ApplyGuardrail when the answer model is not on Bedrock)"
                              initial={() => ({
                                guardrailIdentifier: "",
                                guardrailVersion: "1",
                                trace: false,
                              })}
                              fields={BEDROCK_GUARDRAIL_FIELDS}
                              draft={editing}
                              setDraft={setDraft}
                              errors={errors}
                            />
                            <DeniedTopicsEditor
                              draft={editing}
                              setDraft={setDraft}
                              errors={errors}
                            />
                          </>
                        )}
                      </ColumnLayout>
                    ),
                  })),
                )}
              />
            </Container>
          </Form>
        </form>
        <VersionHistory assistantId={assistantId} current={base.version} />
        <Link to="/admin/assistants">All assistants</Link>
      </SpaceBetween>

      {reviewing && (
        <ConfirmModal
          header={`Save as version ${version + 1}?`}
          size="large"
          confirmText="Save"
          onClose={() => setReviewing(false)}
          loading={save.isLoading}
          error={save.error}
          onConfirm={() =>
            save.mutate({
              assistantId,
              assistantRequest: editing,
              ifMatch: `"${version}"`,
              sextantEvaluationRun: evaluated?.id,
            })
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
          {changes.some((c) => c.path.startsWith("config.")) && (
            <>
              <Header
                variant="h3"
                description="Run an evaluation set against this draft and the current version before saving"
              >
                Measure the change
              </Header>
              <EvaluatePanel
                assistantId={assistantId}
                version={version}
                draft={editing.config}
                onDone={setEvaluated}
              />
            </>
          )}
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
