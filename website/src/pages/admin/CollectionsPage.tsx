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
import { Trans, useTranslation } from "react-i18next";
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
  const { t } = useTranslation();
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
      header={
        collection
          ? t("collectionsPage.edit", { name: collection.name })
          : t("collectionsPage.createACollection")
      }
      confirmText={
        collection ? t("collectionsPage.save") : t("collectionsPage.create")
      }
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
      <FormField label={t("collectionsPage.name")} errorText={errors.name}>
        <Input
          value={name}
          onChange={(e) => setName(e.detail.value)}
          autoFocus
        />
      </FormField>
      <FormField
        label={t("collectionsPage.groupsThatMayReadIt")}
        description={t("collectionsPage.cognitoGroupsSeparatedByCommas")}
        errorText={errors.readGroups}
      >
        <Input value={groups} onChange={(e) => setGroups(e.detail.value)} />
      </FormField>
      <Checkbox
        checked={everyone}
        onChange={(e) => setEveryone(e.detail.checked)}
      >
        {t("collectionsPage.everyoneSignedInMayRead")}
      </Checkbox>
    </ConfirmModal>
  );
}

/** The collections (administrators): who reads each, how many documents it holds; create, edit grants, delete. */
export default function CollectionsPage() {
  const { t } = useTranslation();
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
          description={t("collectionsPage.aUserFindsAPassage")}
          actions={
            <Button variant="primary" onClick={() => setEditing("new")}>
              {t("collectionsPage.createCollection")}
            </Button>
          }
        >
          {t("collectionsPage.collections")}
        </Header>
      }
    >
      {collections.isError ? (
        <ProblemAlert
          error={collections.error}
          header={t("collectionsPage.couldNotLoadTheCollections")}
        />
      ) : (
        <Table
          variant="full-page"
          loading={collections.isLoading}
          loadingText={t("collectionsPage.loadingCollections")}
          items={collections.data?.items ?? []}
          trackBy="id"
          columnDefinitions={[
            {
              id: "name",
              header: t("collectionsPage.name"),
              isRowHeader: true,
              cell: (c) => c.name,
            },
            {
              id: "readers",
              header: t("collectionsPage.readBy"),
              cell: (c) =>
                [
                  c.everyone ? t("collectionsPage.everyoneSignedIn") : "",
                  ...c.readGroups,
                ]
                  .filter(Boolean)
                  .join(", ") || t("collectionsPage.nobody"),
            },
            {
              id: "documents",
              header: t("collectionsPage.documents"),
              cell: (c) => c.documentCount,
            },
            {
              id: "actions",
              header: t("collectionsPage.actions"),
              cell: (c) => (
                <ButtonDropdown
                  variant="inline-icon"
                  ariaLabel={t("collectionsPage.actionsFor", { name: c.name })}
                  items={[
                    {
                      id: "edit",
                      text: t("collectionsPage.editNameAndReaders"),
                    },
                    { id: "delete", text: t("collectionsPage.deleteAction") },
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
          header={t("collectionsPage.deleteNamed", { name: deleting.name })}
          confirmText={t("collectionsPage.deleteAction")}
          onClose={() => setDeleting(undefined)}
          loading={remove.isLoading}
          error={remove.error}
          onConfirm={() => remove.mutate({ collectionId: deleting.id })}
        >
          <Box>
            <Trans
              i18nKey="collectionsPage.deleteQuestion"
              values={{ name: deleting.name }}
              components={{ b: <b /> }}
            />
          </Box>
        </ConfirmModal>
      )}
    </ContentLayout>
  );
}
