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
import { useTranslation } from "react-i18next";
import { errorsByPath } from "../../components/ConfigField";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ProblemAlert, useProblem } from "../../components/ProblemAlert";
import { queryClient } from "../../query-client";

const refresh = () => void queryClient.invalidateQueries(["listUsers"]);

function InviteModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
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
      header={t("usersPage.inviteAUser")}
      confirmText={t("usersPage.invite")}
      onClose={onClose}
      loading={invite.isLoading}
      error={invite.error}
      onConfirm={() => invite.mutate({ newUser: user })}
    >
      <FormField
        label={t("usersPage.username")}
        constraintText={t("usersPage.3To64LettersDigits")}
        errorText={errors.username}
      >
        <Input
          value={user.username}
          onChange={(e) => setUser({ ...user, username: e.detail.value })}
          autoFocus
        />
      </FormField>
      <FormField
        label={t("usersPage.email")}
        description={t("usersPage.theInvitationGoesHere")}
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
        {t("usersPage.administrator")}
      </Checkbox>
    </ConfirmModal>
  );
}

/** Users (administrators): invite, enable or disable (effective at the user's next request), grant or remove administration; federated users with their provider and mapped groups, read-only. */
export default function UsersPage() {
  const { t } = useTranslation();
  const users = useListUsers();
  const update = useUpdateUser({ onSuccess: refresh });
  const [inviting, setInviting] = useState(false);
  return (
    <ContentLayout
      header={<Header variant="h1">{t("usersPage.users")}</Header>}
    >
      <ProblemAlert
        error={update.error}
        header={t("usersPage.theChangeWasNotSaved")}
      />
      <Table
        variant="container"
        wrapLines
        header={
          <Header
            variant="h2"
            counter={users.data ? `(${users.data.items.length})` : undefined}
            actions={
              <Button variant="primary" onClick={() => setInviting(true)}>
                {t("usersPage.inviteUser")}
              </Button>
            }
          >
            {t("usersPage.peopleWhoCanSignIn")}
          </Header>
        }
        loading={users.isLoading}
        loadingText={t("usersPage.loadingUsers")}
        items={users.data?.items ?? []}
        trackBy="id"
        empty={<Box textAlign="center">{t("usersPage.noUsers")}</Box>}
        columnDefinitions={[
          {
            id: "username",
            header: t("usersPage.username"),
            cell: (u) =>
              u.provider ? (
                <>
                  {u.username}
                  <Box variant="small" display="block">
                    {t("usersPage.signsInWith")} {u.provider}
                  </Box>
                </>
              ) : (
                u.username
              ),
            isRowHeader: true,
          },
          {
            id: "email",
            header: t("usersPage.email"),
            cell: (u) => u.email ?? "—",
          },
          {
            id: "groups",
            header: t("usersPage.directoryGroups"),
            // A federated user's groups are their directory's, mapped: shown, never edited here.
            cell: (u) =>
              u.provider
                ? u.groups?.join(", ") || t("usersPage.noneMapped")
                : "—",
          },
          {
            id: "enabled",
            header: t("usersPage.access"),
            cell: (u) => (
              <StatusIndicator type={u.enabled ? "success" : "stopped"}>
                {u.enabled ? t("usersPage.enabled") : t("usersPage.disabled")}
              </StatusIndicator>
            ),
          },
          {
            id: "admin",
            header: t("usersPage.administrator"),
            cell: (u) =>
              u.administrator ? t("usersPage.yes") : t("usersPage.no"),
          },
          {
            id: "actions",
            header: t("usersPage.actions"),
            cell: (u) => (
              <ButtonDropdown
                variant="inline-icon"
                ariaLabel={t("usersPage.actionsFor", { username: u.username })}
                items={[
                  {
                    id: "enabled",
                    text: u.enabled
                      ? t("usersPage.disable")
                      : t("usersPage.enable"),
                  },
                  {
                    id: "administrator",
                    text: u.administrator
                      ? t("usersPage.removeAdministrator")
                      : t("usersPage.makeAdministrator"),
                    // The directory decides a federated user's groups (groupMapping).
                    disabled: Boolean(u.provider),
                    disabledReason: u.provider
                      ? t("usersPage.sGroupsDecideThis", {
                          provider: u.provider,
                        })
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
