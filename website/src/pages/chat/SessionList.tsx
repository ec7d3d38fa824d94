import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ButtonDropdown from "@cloudscape-design/components/button-dropdown";
import Container from "@cloudscape-design/components/container";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import Link from "@cloudscape-design/components/link";
import Spinner from "@cloudscape-design/components/spinner";
import {
  useDeleteSession,
  useListSessions,
  useUpdateSession,
  type ChatSession,
} from "@sextant/api-typescript-react-query-hooks";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert } from "../../components/ProblemAlert";
import { queryClient } from "../../query-client";

const refresh = () => {
  void queryClient.invalidateQueries(["listSessions"]);
  void queryClient.invalidateQueries(["getSession"]);
};

function RenameModal({
  session,
  onClose,
}: {
  session: ChatSession;
  onClose: () => void;
}) {
  const [title, setTitle] = useState(session.title);
  const update = useUpdateSession({ onSuccess: () => (refresh(), onClose()) });
  return (
    <ConfirmModal
      header="Rename conversation"
      confirmText="Save"
      onClose={onClose}
      loading={update.isLoading}
      error={update.error}
      onConfirm={() =>
        update.mutate({
          sessionId: session.id,
          sessionChanges: { title: title.trim() },
        })
      }
    >
      <FormField label="Title" constraintText="1 to 200 characters">
        <Input
          value={title}
          onChange={(e) => setTitle(e.detail.value)}
          autoFocus
        />
      </FormField>
    </ConfirmModal>
  );
}

function DeleteModal({
  session,
  onClose,
  onDeleted,
}: {
  session: ChatSession;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useDeleteSession({
    onSuccess: () => {
      onDeleted();
      onClose();
      // Forget it rather than refetch it: it is gone (a refetch would only answer 404).
      queryClient.removeQueries(["getSession", { sessionId: session.id }]);
      queryClient.removeQueries(["listMessages", { sessionId: session.id }]);
      void queryClient.invalidateQueries(["listSessions"]);
    },
  });
  return (
    <ConfirmModal
      header="Delete conversation"
      confirmText="Delete"
      onClose={onClose}
      loading={remove.isLoading}
      error={remove.error}
      onConfirm={() => remove.mutate({ sessionId: session.id })}
    >
      <Box>
        Delete <b>{session.title}</b> and all its messages? This cannot be
        undone.
      </Box>
    </ConfirmModal>
  );
}

/** The caller's conversations, most recent first, each with rename and delete. */
export function SessionList({ activeId }: { activeId?: string }) {
  const navigate = useNavigate();
  const sessions = useListSessions({ limit: 100 });
  const [renaming, setRenaming] = useState<ChatSession>();
  const [deleting, setDeleting] = useState<ChatSession>();
  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            <Button iconName="add-plus" onClick={() => navigate("/")}>
              New chat
            </Button>
          }
        >
          Conversations
        </Header>
      }
    >
      {sessions.isLoading && <Spinner />}
      <ProblemAlert error={sessions.error} />
      {sessions.data?.items.length === 0 && (
        <Box color="text-body-secondary">No conversations yet.</Box>
      )}
      <nav aria-label="Conversations">
        <ul className="sextant-sessions">
          {sessions.data?.items.map((s) => (
            <li
              key={s.id}
              aria-current={s.id === activeId ? "page" : undefined}
            >
              <Link
                href={`/sessions/${s.id}`}
                onFollow={(e) => {
                  e.preventDefault();
                  navigate(`/sessions/${s.id}`);
                }}
              >
                {s.title}
              </Link>
              <ButtonDropdown
                variant="inline-icon"
                ariaLabel={`Actions for ${s.title}`}
                items={[
                  { id: "rename", text: "Rename" },
                  { id: "delete", text: "Delete" },
                ]}
                onItemClick={(e) =>
                  e.detail.id === "rename" ? setRenaming(s) : setDeleting(s)
                }
              />
            </li>
          ))}
        </ul>
      </nav>
      {renaming && (
        <RenameModal
          session={renaming}
          onClose={() => setRenaming(undefined)}
        />
      )}
      {deleting && (
        <DeleteModal
          session={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={() => deleting.id === activeId && navigate("/")}
        />
      )}
    </Container>
  );
}
