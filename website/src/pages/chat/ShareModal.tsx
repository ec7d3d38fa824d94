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
      header="Share this conversation"
      footer={
        <Box float="right">
          <Button variant="link" onClick={onClose}>
            Done
          </Button>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          They read it as it is, without asking in it. An answer citing a
          document they may not read is withheld from them.
        </Box>
        <FormField
          label="Users"
          description="Usernames, separated by commas"
          errorText={errors.users ?? errors["users.0"]}
        >
          <Input
            value={users}
            onChange={(e) => setUsers(e.detail.value)}
            ariaLabel="Share with users"
          />
        </FormField>
        <FormField
          label="Groups"
          description="Group names, separated by commas"
          errorText={errors.groups ?? errors["groups.0"]}
        >
          <Input
            value={groups}
            onChange={(e) => setGroups(e.detail.value)}
            ariaLabel="Share with groups"
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
          Share
        </Button>
        <ProblemAlert
          error={share.error ?? revoke.error ?? shares.error}
          header="Could not share"
        />
        {(shares.data?.items.length ?? 0) > 0 && (
          <SpaceBetween size="xs">
            <Box variant="h4">Shared with</Box>
            {shares.data!.items.map((s) => (
              <SpaceBetween
                key={s.id}
                direction="horizontal"
                size="xs"
                alignItems="center"
              >
                <Box>
                  {s.kind === "group" ? "Group " : ""}
                  <b>{s.name}</b>
                </Box>
                <Button
                  variant="inline-link"
                  ariaLabel={`Revoke the share with ${s.name}`}
                  onClick={() => revoke.mutate({ sessionId, shareId: s.id })}
                >
                  Revoke
                </Button>
              </SpaceBetween>
            ))}
            <CopyToClipboard
              variant="inline"
              textToCopy={link}
              copyButtonAriaLabel="Copy the link"
              copySuccessText="Link copied"
              copyErrorText="Could not copy the link"
            />
          </SpaceBetween>
        )}
      </SpaceBetween>
    </Modal>
  );
}
