import Box from "@cloudscape-design/components/box";
import FormField from "@cloudscape-design/components/form-field";
import Input from "@cloudscape-design/components/input";
import {
  useDeleteSession,
  useUpdateSession,
  type ChatSession,
} from "@sextant/api-typescript-react-query-hooks";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ConfirmModal } from "../../components/ConfirmModal";
import { queryClient } from "../../query-client";

// Rename and delete of a conversation: loaded when first opened, not with the chat.

const refresh = () => {
  void queryClient.invalidateQueries(["listSessions"]);
  void queryClient.invalidateQueries(["getSession"]);
};

export function RenameModal({
  session,
  onClose,
}: {
  session: ChatSession;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(session.title);
  const update = useUpdateSession({ onSuccess: () => (refresh(), onClose()) });
  return (
    <ConfirmModal
      header={t("sessionList.renameConversation")}
      confirmText={t("sessionList.save")}
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
      <FormField
        label={t("sessionList.title")}
        constraintText={t("sessionList.1To200Characters")}
      >
        <Input
          value={title}
          onChange={(e) => setTitle(e.detail.value)}
          autoFocus
        />
      </FormField>
    </ConfirmModal>
  );
}

export function DeleteModal({
  session,
  onClose,
  onDeleted,
}: {
  session: ChatSession;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
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
      header={t("sessionList.deleteConversation")}
      confirmText={t("sessionList.delete")}
      onClose={onClose}
      loading={remove.isLoading}
      error={remove.error}
      onConfirm={() => remove.mutate({ sessionId: session.id })}
    >
      <Box>
        <Trans
          i18nKey="sessionList.deleteQuestion"
          values={{ title: session.title }}
          components={{ b: <b /> }}
        />
      </Box>
    </ConfirmModal>
  );
}
