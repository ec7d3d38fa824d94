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
  validateInferenceConfig,
  type ConfigChange,
} from "@sextant/core";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ConfigSection, SECTIONS, type Draft } from "./config-sections";
import { EvaluatePanel } from "./EvaluatePanel";
import { ConfigField, errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { statusOf } from "../../lib/api-error";
import { parseGroups } from "../../lib/groups";
import { applyChanges } from "../../lib/paths";
import { queryClient } from "../../query-client";

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
                      <ConfigSection
                        section={section}
                        draft={editing}
                        setDraft={setDraft}
                        errors={errors}
                      />
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
