import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import CopyToClipboard from "@cloudscape-design/components/copy-to-clipboard";
import FormField from "@cloudscape-design/components/form-field";
import Input from "@cloudscape-design/components/input";
import Modal from "@cloudscape-design/components/modal";
import SpaceBetween from "@cloudscape-design/components/space-between";
import {
  useListShares,
  useRevokeShare,
  useShareSession,
} from "@sextant/api-typescript-react-query-hooks";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { errorsByPath } from "../../components/ConfigField";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { parseGroups } from "../../lib/groups";
import { queryClient } from "../../query-client";

/**
 * Shares the conversation, read-only, with users (by username) and groups; lists who it is shared
 * with, each revocable at once, and the link they open it with.
 */
export function ShareModal({
  sessionId,
  onClose,
}: {
  sessionId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const shares = useListShares({ sessionId });
  const refresh = () => void queryClient.invalidateQueries(["listShares"]);
  const [users, setUsers] = useState("");
  const [groups, setGroups] = useState("");
  const share = useShareSession({
    onSuccess: () => (refresh(), setUsers(""), setGroups("")),
  });
  const revoke = useRevokeShare({ onSuccess: refresh });
  const errors = errorsByPath(useProblem(share.error)?.fields ?? []);
  const link = `${window.location.origin}/shared/${sessionId}`;
  return (
    <Modal
      visible
      onDismiss={onClose}
      header={t("shareModal.shareThisConversation")}
      footer={
        <Box float="right">
          <Button variant="link" onClick={onClose}>
            {t("shareModal.done")}
          </Button>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>{t("shareModal.theyReadItAsIt")}</Box>
        <FormField
          label={t("shareModal.users")}
          description={t("shareModal.usernamesSeparatedByCommas")}
          errorText={errors.users ?? errors["users.0"]}
        >
          <Input
            value={users}
            onChange={(e) => setUsers(e.detail.value)}
            ariaLabel={t("shareModal.shareWithUsers")}
          />
        </FormField>
        <FormField
          label={t("shareModal.groups")}
          description={t("shareModal.groupNamesSeparatedByCommas")}
          errorText={errors.groups ?? errors["groups.0"]}
        >
          <Input
            value={groups}
            onChange={(e) => setGroups(e.detail.value)}
            ariaLabel={t("shareModal.shareWithGroups")}
          />
        </FormField>
        <Button
          loading={share.isLoading}
          onClick={() =>
            share.mutate({
              sessionId,
              shareRequest: {
                users: parseGroups(users),
                groups: parseGroups(groups),
              },
            })
          }
        >
          {t("shareModal.share")}
        </Button>
        <ProblemAlert
          error={share.error ?? revoke.error ?? shares.error}
          header={t("shareModal.couldNotShare")}
        />
        {(shares.data?.items.length ?? 0) > 0 && (
          <SpaceBetween size="xs">
            <Box variant="h4">{t("shareModal.sharedWith")}</Box>
            {shares.data!.items.map((s) => (
              <SpaceBetween
                key={s.id}
                direction="horizontal"
                size="xs"
                alignItems="center"
              >
                <Box>
                  {s.kind === "group" ? (
                    <Trans
                      i18nKey="shareModal.groupNamed"
                      values={{ name: s.name }}
                      components={{ b: <b /> }}
                    />
                  ) : (
                    <b>{s.name}</b>
                  )}
                </Box>
                <Button
                  variant="inline-link"
                  ariaLabel={t("shareModal.revokeTheShareWith", {
                    name: s.name,
                  })}
                  onClick={() => revoke.mutate({ sessionId, shareId: s.id })}
                >
                  {t("shareModal.revoke")}
                </Button>
              </SpaceBetween>
            ))}
            <CopyToClipboard
              variant="inline"
              textToCopy={link}
              copyButtonAriaLabel={t("shareModal.copyTheLink")}
              copySuccessText={t("shareModal.linkCopied")}
              copyErrorText={t("shareModal.couldNotCopyTheLink")}
            />
          </SpaceBetween>
        )}
      </SpaceBetween>
    </Modal>
  );
}
