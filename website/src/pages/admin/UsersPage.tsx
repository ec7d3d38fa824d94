import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ButtonDropdown from "@cloudscape-design/components/button-dropdown";
import Checkbox from "@cloudscape-design/components/checkbox";
import ContentLayout from "@cloudscape-design/components/content-layout";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input from "@cloudscape-design/components/input";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import {
  useInviteUser,
  useListUsers,
  useUpdateUser,
} from "@sextant/api-typescript-react-query-hooks";
import { useState } from "react";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { queryClient } from "../../query-client";

const refresh = () => void queryClient.invalidateQueries(["listUsers"]);

function InviteModal({ onClose }: { onClose: () => void }) {
  const [user, setUser] = useState({
    username: "",
    email: "",
    administrator: false,
  });
  const invite = useInviteUser({ onSuccess: () => (refresh(), onClose()) });
  const errors = errorsByPath(
    useProblem(invite.error)?.fields.map((f) => ({
      ...f,
      path: f.path.replace(/^body\./, ""),
    })) ?? [],
  );
  return (
    <ConfirmModal
      header="Invite a user"
      confirmText="Invite"
      onClose={onClose}
      loading={invite.isLoading}
      error={invite.error}
      onConfirm={() => invite.mutate({ newUser: user })}
    >
      <FormField
        label="Username"
        constraintText="3 to 64 letters, digits, '.', '_' or '-'"
        errorText={errors.username}
      >
        <Input
          value={user.username}
          onChange={(e) => setUser({ ...user, username: e.detail.value })}
          autoFocus
        />
      </FormField>
      <FormField
        label="Email"
        description="The invitation goes here"
        errorText={errors.email}
      >
        <Input
          type="email"
          value={user.email}
          onChange={(e) => setUser({ ...user, email: e.detail.value })}
        />
      </FormField>
      <Checkbox
        checked={user.administrator}
        onChange={(e) => setUser({ ...user, administrator: e.detail.checked })}
      >
        Administrator
      </Checkbox>
    </ConfirmModal>
  );
}

/** Users (administrators): invite, enable or disable (effective at the user's next request), grant or remove administration; federated users with their provider and mapped groups, read-only. */
export default function UsersPage() {
  const users = useListUsers();
  const update = useUpdateUser({ onSuccess: refresh });
  const [inviting, setInviting] = useState(false);
  return (
    <ContentLayout header={<Header variant="h1">Users</Header>}>
      <ProblemAlert error={update.error} header="The change was not saved" />
      <Table
        variant="container"
        wrapLines
        header={
          <Header
            variant="h2"
            counter={users.data ? `(${users.data.items.length})` : undefined}
            actions={
              <Button variant="primary" onClick={() => setInviting(true)}>
                Invite user
              </Button>
            }
          >
            People who can sign in
          </Header>
        }
        loading={users.isLoading}
        loadingText="Loading users"
        items={users.data?.items ?? []}
        trackBy="id"
        empty={<Box textAlign="center">No users.</Box>}
        columnDefinitions={[
          {
            id: "username",
            header: "Username",
            cell: (u) =>
              u.provider ? (
                <>
                  {u.username}
                  <Box variant="small" display="block">
                    Signs in with {u.provider}
                  </Box>
                </>
              ) : (
                u.username
              ),
            isRowHeader: true,
          },
          { id: "email", header: "Email", cell: (u) => u.email ?? "—" },
          {
            id: "groups",
            header: "Directory groups",
            // A federated user's groups are their directory's, mapped: shown, never edited here.
            cell: (u) =>
              u.provider ? u.groups?.join(", ") || "none mapped" : "—",
          },
          {
            id: "enabled",
            header: "Access",
            cell: (u) => (
              <StatusIndicator type={u.enabled ? "success" : "stopped"}>
                {u.enabled ? "Enabled" : "Disabled"}
              </StatusIndicator>
            ),
          },
          {
            id: "admin",
            header: "Administrator",
            cell: (u) => (u.administrator ? "Yes" : "No"),
          },
          {
            id: "actions",
            header: "Actions",
            cell: (u) => (
              <ButtonDropdown
                variant="inline-icon"
                ariaLabel={`Actions for ${u.username}`}
                items={[
                  { id: "enabled", text: u.enabled ? "Disable" : "Enable" },
                  {
                    id: "administrator",
                    text: u.administrator
                      ? "Remove administrator"
                      : "Make administrator",
                    // The directory decides a federated user's groups (groupMapping).
                    disabled: Boolean(u.provider),
                    disabledReason: u.provider
                      ? `${u.provider}'s groups decide this`
                      : undefined,
                  },
                ]}
                onItemClick={(e) =>
                  update.mutate({
                    userId: u.id,
                    userChanges:
                      e.detail.id === "enabled"
                        ? { enabled: !u.enabled }
                        : { administrator: !u.administrator },
                  })
                }
              />
            ),
          },
        ]}
      />
      {inviting && <InviteModal onClose={() => setInviting(false)} />}
    </ContentLayout>
  );
}
