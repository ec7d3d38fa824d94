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
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { ConfigSection, SECTIONS, type Draft } from "./config-sections";
import { EvaluatePanel } from "./EvaluatePanel";
import { ConfigField, errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { statusOf } from "../../lib/api-error";
import { useFormat } from "../../lib/format";
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
  const { t } = useTranslation();
  const format = useFormat();
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
            description={t("assistantPage.restoringSavesAnOldVersion")}
          >
            {t("assistantPage.versionHistory")}
          </Header>
        }
        loading={versions.isLoading}
        loadingText={t("assistantPage.loadingVersions")}
        items={versions.data?.items ?? []}
        trackBy="version"
        columnDefinitions={[
          {
            id: "version",
            header: t("assistantPage.version"),
            cell: (v) =>
              v.version === current
                ? t("assistantPage.current", { version: v.version })
                : v.version,
            isRowHeader: true,
          },
          {
            id: "author",
            header: t("assistantPage.savedBy"),
            cell: (v) => v.author ?? t("assistantPage.builtInDefault"),
          },
          {
            id: "when",
            header: t("assistantPage.saved"),
            cell: (v) => (v.createdAt ? format.dateTime(v.createdAt) : "—"),
          },
          {
            id: "scores",
            header: t("assistantPage.evaluation"),
            cell: (v) =>
              v.scores?.length
                ? v.scores
                    .map((sc) =>
                      t("assistantPage.hitMrr", {
                        setName: sc.setName,
                        k: sc.k,
                        hitAtK: sc.hitAtK,
                        mrr: sc.mrr,
                      }),
                    )
                    .join("; ")
                : "—",
          },
          {
            id: "restore",
            header: t("assistantPage.actions"),
            cell: (v) => (
              <Button
                variant="inline-link"
                disabled={v.version === current}
                ariaLabel={t("assistantPage.restoreVersion", {
                  version: v.version,
                })}
                onClick={() => setRestoring(v)}
              >
                {t("assistantPage.restore")}
              </Button>
            ),
          },
        ]}
      />
      {restoring && (
        <ConfirmModal
          header={t("assistantPage.restoreVersion", {
            version: restoring.version,
          })}
          confirmText={t("assistantPage.restore")}
          onClose={() => setRestoring(undefined)}
          loading={restore.isLoading}
          error={restore.error}
          onConfirm={() =>
            restore.mutate({ assistantId, version: String(restoring.version) })
          }
        >
          <Box>
            {t("assistantPage.restoreQuestion", {
              version: restoring.version,
            })}
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
  const { t } = useTranslation();
  const collections = useListCollections();
  const options = (collections.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.name,
  }));
  return (
    <ColumnLayout columns={2}>
      <ConfigField
        path="name"
        label={t("assistantPage.name")}
        kind="text"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <ConfigField
        path="description"
        label={t("assistantPage.description")}
        description={t("assistantPage.whatUsersSeeWhenThey")}
        kind="text"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <ConfigField
        path="allCollections"
        label={t("assistantPage.searchEveryCollection")}
        description={t("assistantPage.everyCollectionItsUserCan")}
        kind="toggle"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <FormField
        label={t("assistantPage.collections")}
        description={t("assistantPage.searchedAsFarAsEach")}
        errorText={
          Object.entries(errors).find(([p]) =>
            p.startsWith("collectionIds"),
          )?.[1]
        }
      >
        <Multiselect
          disabled={draft.allCollections}
          placeholder={t("assistantPage.chooseCollections")}
          deselectAriaLabel={(o) =>
            t("assistantPage.remove", { name: o.label ?? "" })
          }
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
        label={t("assistantPage.everyoneSignedInMayUse")}
        kind="toggle"
        value={draft}
        onChange={setDraft}
        errors={errors}
      />
      <FormField
        label={t("assistantPage.groupsThatMayUseIt")}
        description={t("assistantPage.cognitoGroupsSeparatedByCommas")}
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
  const { t } = useTranslation();
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
        header={t("assistantPage.couldNotLoadTheAssistant")}
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
          description={
            base.author
              ? t("assistantPage.versionSavedBy", {
                  version: base.version,
                  author: base.author,
                })
              : t("assistantPage.versionBuiltIn", { version: base.version })
          }
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
                  {t("assistantPage.discardChanges")}
                </Button>
                <Button
                  variant="primary"
                  disabled={changes.length === 0 || !check.ok}
                  onClick={() => {
                    setEvaluated(undefined);
                    setReviewing(true);
                  }}
                >
                  {t("assistantPage.reviewAndSave", {
                    count: changes.length,
                  })}
                </Button>
              </SpaceBetween>
            }
            errorText={
              !check.ok ? t("assistantPage.someFieldsAreInvalidSee") : undefined
            }
          >
            <Container>
              <Tabs
                ariaLabel={t("assistantPage.configurationSections")}
                i18nStrings={{
                  scrollLeftAriaLabel: t("assistantPage.scrollLeft"),
                  scrollRightAriaLabel: t("assistantPage.scrollRight"),
                }}
                tabs={[
                  {
                    id: "access",
                    label: t("assistantPage.access"),
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
                    label: t(section.label),
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
        <Link to="/admin/assistants">{t("assistantPage.allAssistants")}</Link>
      </SpaceBetween>

      {reviewing && (
        <ConfirmModal
          header={t("assistantPage.saveAsVersion", { version: version + 1 })}
          size="large"
          confirmText={t("assistantPage.save")}
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
                header: t("assistantPage.field"),
                cell: (c) => <code>{c.path}</code>,
                isRowHeader: true,
              },
              {
                id: "from",
                header: t("assistantPage.versionNumber", { version }),
                cell: (c) => show(c.from),
              },
              {
                id: "to",
                header: t("assistantPage.new"),
                cell: (c) => show(c.to),
              },
            ]}
          />
          {changes.some((c) => c.path.startsWith("config.")) && (
            <>
              <Header
                variant="h3"
                description={t("assistantPage.runAnEvaluationSetAgainst")}
              >
                {t("assistantPage.measureTheChange")}
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
          header={t("assistantPage.someoneElseSavedFirst")}
          confirmText={t("assistantPage.keepMyChanges")}
          onClose={() => setConflict(undefined)}
          onConfirm={() => void keepMine(conflict)}
        >
          <Box>{t("assistantPage.anotherAdministratorSavedANewer")}</Box>
          <Button
            onClick={() => {
              setConflict(undefined);
              reload();
            }}
          >
            {t("assistantPage.discardMineAndLoadThe")}
          </Button>
        </ConfirmModal>
      )}
    </ContentLayout>
  );
}
