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
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { parseGroups } from "../../lib/groups";

/** A new assistant: a name and who uses it; its collections and configuration are set on its page. */
function CreateModal({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [groups, setGroups] = useState("");
  const create = useCreateAssistant({
    onSuccess: (a) => navigate(`/admin/assistants/${a.id}`),
  });
  const errors = errorsByPath(useProblem(create.error)?.fields ?? []);
  return (
    <ConfirmModal
      header="Create an assistant"
      confirmText="Create"
      onClose={onClose}
      loading={create.isLoading}
      error={create.error}
      onConfirm={() =>
        create.mutate({
          assistantRequest: { name, groups: parseGroups(groups) },
        })
      }
    >
      <FormField label="Name" errorText={errors.name}>
        <Input
          value={name}
          onChange={(e) => setName(e.detail.value)}
          autoFocus
        />
      </FormField>
      <FormField
        label="Groups that may use it"
        description="Cognito groups, separated by commas; nobody else may (administrators excepted)"
        errorText={errors.groups}
      >
        <Input value={groups} onChange={(e) => setGroups(e.detail.value)} />
      </FormField>
      <Box variant="small">
        It starts with the Default assistant&apos;s configuration and searches
        no collection: choose them on its page.
      </Box>
    </ConfirmModal>
  );
}

const usedBy = (a: Assistant) =>
  [a.everyone ? "Everyone signed in" : "", ...a.groups]
    .filter(Boolean)
    .join(", ") || "Administrators only";

/** The assistants (administrators): what each searches and who uses it; each opens its editor. */
export default function AssistantsPage() {
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
          description="Each assistant answers with its own configuration from its collections, as far as the asker can read them"
          actions={
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create assistant
            </Button>
          }
        >
          Assistants
        </Header>
      }
    >
      {assistants.isError ? (
        <ProblemAlert
          error={assistants.error}
          header="Could not load the assistants"
        />
      ) : (
        <Table
          variant="full-page"
          loading={assistants.isLoading}
          loadingText="Loading assistants"
          items={assistants.data?.items ?? []}
          trackBy="id"
          columnDefinitions={[
            {
              id: "name",
              header: "Name",
              isRowHeader: true,
              cell: (a) => (
                <Link to={`/admin/assistants/${a.id}`}>{a.name}</Link>
              ),
            },
            {
              id: "searches",
              header: "Searches",
              cell: (a) =>
                a.allCollections
                  ? "Every readable collection"
                  : a.collectionIds.map(nameOf).join(", ") || "Nothing",
            },
            { id: "usedBy", header: "Used by", cell: usedBy },
            { id: "version", header: "Version", cell: (a) => a.version },
          ]}
        />
      )}
      {creating && <CreateModal onClose={() => setCreating(false)} />}
    </ContentLayout>
  );
}
