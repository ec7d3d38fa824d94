import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ButtonDropdown from "@cloudscape-design/components/button-dropdown";
import Checkbox from "@cloudscape-design/components/checkbox";
import ContentLayout from "@cloudscape-design/components/content-layout";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import Table from "@cloudscape-design/components/table";
import {
  useCreateCollection,
  useDeleteCollection,
  useListCollections,
  useUpdateCollection,
  type Collection,
} from "@sextant/api-typescript-react-query-hooks";
import { useState } from "react";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { parseGroups } from "../../lib/groups";
import { queryClient } from "../../query-client";

const refresh = () => void queryClient.invalidateQueries(["listCollections"]);

/** Creates a collection, or changes one's name and read grants. */
function GrantsModal({
  collection,
  onClose,
}: {
  collection?: Collection;
  onClose: () => void;
}) {
  const [name, setName] = useState(collection?.name ?? "");
  const [groups, setGroups] = useState(collection?.readGroups.join(", ") ?? "");
  const [everyone, setEveryone] = useState(collection?.everyone ?? false);
  const done = { onSuccess: () => (refresh(), onClose()) };
  const create = useCreateCollection(done);
  const update = useUpdateCollection(done);
  const mutation = collection ? update : create;
  const errors = errorsByPath(useProblem(mutation.error)?.fields ?? []);
  const grants = { name, readGroups: parseGroups(groups), everyone };
  return (
    <ConfirmModal
      header={collection ? `Edit ${collection.name}` : "Create a collection"}
      confirmText={collection ? "Save" : "Create"}
      onClose={onClose}
      loading={mutation.isLoading}
      error={mutation.error}
      onConfirm={() =>
        collection
          ? update.mutate({
              collectionId: collection.id,
              collectionChanges: grants,
            })
          : create.mutate({ newCollection: grants })
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
        label="Groups that may read it"
        description="Cognito groups, separated by commas. A group taken away counts from its members' next question."
        errorText={errors.readGroups}
      >
        <Input value={groups} onChange={(e) => setGroups(e.detail.value)} />
      </FormField>
      <Checkbox
        checked={everyone}
        onChange={(e) => setEveryone(e.detail.checked)}
      >
        Everyone signed in may read it
      </Checkbox>
    </ConfirmModal>
  );
}

/** The collections (administrators): who reads each, how many documents it holds; create, edit grants, delete. */
export default function CollectionsPage() {
  const collections = useListCollections();
  const [editing, setEditing] = useState<Collection | "new">();
  const [deleting, setDeleting] = useState<Collection>();
  const remove = useDeleteCollection({
    onSuccess: () => (refresh(), setDeleting(undefined)),
  });
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="A user finds a passage only in the collections their groups may read"
          actions={
            <Button variant="primary" onClick={() => setEditing("new")}>
              Create collection
            </Button>
          }
        >
          Collections
        </Header>
      }
    >
      {collections.isError ? (
        <ProblemAlert
          error={collections.error}
          header="Could not load the collections"
        />
      ) : (
        <Table
          variant="full-page"
          loading={collections.isLoading}
          loadingText="Loading collections"
          items={collections.data?.items ?? []}
          trackBy="id"
          columnDefinitions={[
            {
              id: "name",
              header: "Name",
              isRowHeader: true,
              cell: (c) => c.name,
            },
            {
              id: "readers",
              header: "Read by",
              cell: (c) =>
                [c.everyone ? "Everyone signed in" : "", ...c.readGroups]
                  .filter(Boolean)
                  .join(", ") || "Nobody",
            },
            {
              id: "documents",
              header: "Documents",
              cell: (c) => c.documentCount,
            },
            {
              id: "actions",
              header: "Actions",
              cell: (c) => (
                <ButtonDropdown
                  variant="inline-icon"
                  ariaLabel={`Actions for ${c.name}`}
                  items={[
                    { id: "edit", text: "Edit name and readers" },
                    { id: "delete", text: "Delete" },
                  ]}
                  onItemClick={(e) =>
                    e.detail.id === "edit" ? setEditing(c) : setDeleting(c)
                  }
                />
              ),
            },
          ]}
        />
      )}
      {editing && (
        <GrantsModal
          collection={editing === "new" ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
      {deleting && (
        <ConfirmModal
          header={`Delete ${deleting.name}`}
          confirmText="Delete"
          onClose={() => setDeleting(undefined)}
          loading={remove.isLoading}
          error={remove.error}
          onConfirm={() => remove.mutate({ collectionId: deleting.id })}
        >
          <Box>
            Delete the collection <b>{deleting.name}</b>? Only an empty
            collection can be deleted.
          </Box>
        </ConfirmModal>
      )}
    </ContentLayout>
  );
}
