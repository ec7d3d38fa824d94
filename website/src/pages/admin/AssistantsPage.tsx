import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ContentLayout from "@cloudscape-design/components/content-layout";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import Table from "@cloudscape-design/components/table";
import {
  useAdminListAssistants,
  useCreateAssistant,
  useListCollections,
  type Assistant,
} from "@sextant/api-typescript-react-query-hooks";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { parseGroups } from "../../lib/groups";

/** A new assistant: a name and who uses it; its collections and configuration are set on its page. */
function CreateModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [groups, setGroups] = useState("");
  const create = useCreateAssistant({
    onSuccess: (a) => navigate(`/admin/assistants/${a.id}`),
  });
  const errors = errorsByPath(useProblem(create.error)?.fields ?? []);
  return (
    <ConfirmModal
      header={t("assistantsPage.createAnAssistant")}
      confirmText={t("assistantsPage.create")}
      onClose={onClose}
      loading={create.isLoading}
      error={create.error}
      onConfirm={() =>
        create.mutate({
          assistantRequest: { name, groups: parseGroups(groups) },
        })
      }
    >
      <FormField label={t("assistantsPage.name")} errorText={errors.name}>
        <Input
          value={name}
          onChange={(e) => setName(e.detail.value)}
          autoFocus
        />
      </FormField>
      <FormField
        label={t("assistantsPage.groupsThatMayUseIt")}
        description={t("assistantsPage.cognitoGroupsSeparatedByCommas")}
        errorText={errors.groups}
      >
        <Input value={groups} onChange={(e) => setGroups(e.detail.value)} />
      </FormField>
      <Box variant="small">{t("assistantsPage.itStartsWithTheDefault")}</Box>
    </ConfirmModal>
  );
}

const usedBy = (a: Assistant, t: TFunction) =>
  [a.everyone ? t("assistantsPage.everyoneSignedIn") : "", ...a.groups]
    .filter(Boolean)
    .join(", ") || t("assistantsPage.administratorsOnly");

/** The assistants (administrators): what each searches and who uses it; each opens its editor. */
export default function AssistantsPage() {
  const { t } = useTranslation();
  const assistants = useAdminListAssistants();
  const collections = useListCollections();
  const [creating, setCreating] = useState(false);
  const nameOf = (id: string) =>
    collections.data?.items.find((c) => c.id === id)?.name ?? id;
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={t("assistantsPage.eachAssistantAnswersWithIts")}
          actions={
            <Button variant="primary" onClick={() => setCreating(true)}>
              {t("assistantsPage.createAssistant")}
            </Button>
          }
        >
          {t("assistantsPage.assistants")}
        </Header>
      }
    >
      {assistants.isError ? (
        <ProblemAlert
          error={assistants.error}
          header={t("assistantsPage.couldNotLoadTheAssistants")}
        />
      ) : (
        <Table
          variant="full-page"
          loading={assistants.isLoading}
          loadingText={t("assistantsPage.loadingAssistants")}
          items={assistants.data?.items ?? []}
          trackBy="id"
          columnDefinitions={[
            {
              id: "name",
              header: t("assistantsPage.name"),
              isRowHeader: true,
              cell: (a) => (
                <Link to={`/admin/assistants/${a.id}`}>{a.name}</Link>
              ),
            },
            {
              id: "searches",
              header: t("assistantsPage.searches"),
              cell: (a) =>
                a.allCollections
                  ? t("assistantsPage.everyReadableCollection")
                  : a.collectionIds.map(nameOf).join(", ") ||
                    t("assistantsPage.nothing"),
            },
            {
              id: "usedBy",
              header: t("assistantsPage.usedBy"),
              cell: (a) => usedBy(a, t),
            },
            {
              id: "version",
              header: t("assistantsPage.version"),
              cell: (a) => a.version,
            },
          ]}
        />
      )}
      {creating && <CreateModal onClose={() => setCreating(false)} />}
    </ContentLayout>
  );
}
