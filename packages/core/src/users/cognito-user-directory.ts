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

const attribute = (attributes: AttributeType[] | undefined, name: string) =>
  attributes?.find((a) => a.Name === name)?.Value;

/** Users of a Cognito user pool, through its admin APIs (the Lambda's role is granted exactly these). */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly userPoolId: string,
    private readonly client = new CognitoIdentityProviderClient({
      ...SERVICE_CLIENT_LIMITS,
    }),
  ) {}

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
        users.push({
          id: u.Username!,
          username: u.Username!,
          ...(email ? { email } : {}),
          enabled: u.Enabled !== false,
          administrator: admins.has(u.Username!),
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
      return {
        id,
        username: found.Username!,
        ...(email ? { email } : {}),
        enabled: found.Enabled !== false,
        administrator: (groups.Groups ?? []).some(
          (g) => g.GroupName === ADMINISTRATORS_GROUP,
        ),
      };
    } catch (e) {
      if ((e as Error).name === "UserNotFoundException")
        throw new NotFoundError(`There is no user ${id}.`);
      throw e;
    }
  }
}
