import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type AttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
import { SERVICE_CLIENT_LIMITS } from "../aws-client-config";
import { InvalidInputError, NotFoundError } from "../errors";
import type {
  DirectoryUser,
  InviteUser,
  UpdateUser,
  UserDirectory,
} from "./user-directory";
import { ADMINISTRATORS_GROUP } from "../identity/caller";
import {
  DIRECTORY_GROUPS_ATTRIBUTE,
  directoryGroupsOf,
  federatedProviderOf,
  mapDirectoryGroups,
  type GroupMapping,
} from "../identity/group-mapping";

const attribute = (attributes: AttributeType[] | undefined, name: string) =>
  attributes?.find((a) => a.Name === name)?.Value;

/**
 * Users of a Cognito user pool, through its admin APIs (the Lambda's role is granted exactly these).
 * With single sign-on (`groupMapping`), a federated user's groups are their directory's, mapped as
 * the pre-token trigger maps them, from the attribute Cognito wrote at their last sign-in.
 */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly userPoolId: string,
    private readonly client = new CognitoIdentityProviderClient({
      ...SERVICE_CLIENT_LIMITS,
    }),
    /** Directory group → Sextant group; undefined when the deployment has no federation. */
    private readonly groupMapping?: GroupMapping,
  ) {}

  /** A federated user's provider and mapped groups, from their attributes; undefined for a local user. */
  private federated(
    attributes: AttributeType[] | undefined,
  ): { provider: string; groups: string[] } | undefined {
    if (!this.groupMapping) return undefined;
    const provider = federatedProviderOf(attribute(attributes, "identities"));
    if (!provider) return undefined;
    return {
      provider: provider.name,
      groups: mapDirectoryGroups(
        directoryGroupsOf(
          attribute(attributes, DIRECTORY_GROUPS_ATTRIBUTE),
          provider.type,
        ),
        this.groupMapping,
      ),
    };
  }

  async list(): Promise<DirectoryUser[]> {
    const admins = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListUsersInGroupCommand({
          UserPoolId: this.userPoolId,
          GroupName: ADMINISTRATORS_GROUP,
          NextToken: token,
        }),
      );
      for (const u of page.Users ?? []) admins.add(u.Username!);
      token = page.NextToken;
    } while (token);
    const users: DirectoryUser[] = [];
    let pagination: string | undefined;
    do {
      const page = await this.client.send(
        new ListUsersCommand({
          UserPoolId: this.userPoolId,
          PaginationToken: pagination,
        }),
      );
      for (const u of page.Users ?? []) {
        const email = attribute(u.Attributes, "email");
        const federated = this.federated(u.Attributes);
        users.push({
          id: u.Username!,
          username: u.Username!,
          ...(email ? { email } : {}),
          enabled: u.Enabled !== false,
          administrator: federated
            ? federated.groups.includes(ADMINISTRATORS_GROUP)
            : admins.has(u.Username!),
          ...federated,
        });
      }
      pagination = page.PaginationToken;
    } while (pagination);
    return users.sort((a, b) => a.username.localeCompare(b.username));
  }

  async invite(input: InviteUser): Promise<DirectoryUser> {
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: input.username,
          UserAttributes: [
            { Name: "email", Value: input.email },
            { Name: "email_verified", Value: "true" },
          ],
          DesiredDeliveryMediums: ["EMAIL"],
        }),
      );
    } catch (e) {
      if ((e as Error).name === "UsernameExistsException") {
        throw new InvalidInputError(
          `The username '${input.username}' is taken.`,
          [{ path: "username", message: "is taken" }],
        );
      }
      throw e;
    }
    if (input.administrator) {
      await this.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: this.userPoolId,
          Username: input.username,
          GroupName: ADMINISTRATORS_GROUP,
        }),
      );
    }
    return {
      id: input.username,
      username: input.username,
      email: input.email,
      enabled: true,
      administrator: input.administrator,
    };
  }

  async groupsOf(username: string): Promise<string[] | undefined> {
    if (this.groupMapping) {
      let found;
      try {
        found = await this.client.send(
          new AdminGetUserCommand({
            UserPoolId: this.userPoolId,
            Username: username,
          }),
        );
      } catch (e) {
        if ((e as Error).name === "UserNotFoundException") return undefined;
        throw e;
      }
      const federated = this.federated(found.UserAttributes);
      if (federated) return federated.groups;
    }
    const groups: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new AdminListGroupsForUserCommand({
            UserPoolId: this.userPoolId,
            Username: username,
            NextToken: token,
          }),
        );
        groups.push(...(page.Groups ?? []).map((g) => g.GroupName!));
        token = page.NextToken;
      } while (token);
    } catch (e) {
      if ((e as Error).name === "UserNotFoundException") return undefined;
      throw e;
    }
    return groups;
  }

  async update(id: string, patch: UpdateUser): Promise<DirectoryUser> {
    const user = { UserPoolId: this.userPoolId, Username: id };
    try {
      if (patch.administrator !== undefined && this.groupMapping) {
        const found = await this.client.send(new AdminGetUserCommand(user));
        const federated = this.federated(found.UserAttributes);
        if (federated)
          throw new InvalidInputError(
            `${id} signs in with ${federated.provider}: their groups come from that directory, through the deployment's groupMapping.`,
            [
              {
                path: "administrator",
                message: `is set by ${federated.provider}'s groups, not here`,
              },
            ],
          );
      }
      if (patch.enabled === false) {
        await this.client.send(new AdminDisableUserCommand(user));
        // Revokes refresh tokens, so no new access token is issued to the disabled user.
        await this.client.send(new AdminUserGlobalSignOutCommand(user));
      }
      if (patch.enabled === true)
        await this.client.send(new AdminEnableUserCommand(user));
      if (patch.administrator !== undefined) {
        const Command = patch.administrator
          ? AdminAddUserToGroupCommand
          : AdminRemoveUserFromGroupCommand;
        await this.client.send(
          new Command({ ...user, GroupName: ADMINISTRATORS_GROUP }),
        );
        // A demoted administrator's refresh tokens go too, so no new token carries the group.
        if (!patch.administrator && patch.enabled !== false)
          await this.client.send(new AdminUserGlobalSignOutCommand(user));
      }
      const [found, groups] = await Promise.all([
        this.client.send(new AdminGetUserCommand(user)),
        this.client.send(new AdminListGroupsForUserCommand(user)),
      ]);
      const email = attribute(found.UserAttributes, "email");
      const federated = this.federated(found.UserAttributes);
      return {
        id,
        username: found.Username!,
        ...(email ? { email } : {}),
        enabled: found.Enabled !== false,
        administrator: federated
          ? federated.groups.includes(ADMINISTRATORS_GROUP)
          : (groups.Groups ?? []).some(
              (g) => g.GroupName === ADMINISTRATORS_GROUP,
            ),
        ...federated,
      };
    } catch (e) {
      if ((e as Error).name === "UserNotFoundException")
        throw new NotFoundError(`There is no user ${id}.`);
      throw e;
    }
  }
}
