import { z } from "zod";

/** A user as administrators manage them. */
export interface DirectoryUser {
  readonly id: string;
  readonly username: string;
  readonly email?: string;
  readonly enabled: boolean;
  readonly administrator: boolean;
  /** The identity provider a federated user signs in with; absent for a local user. */
  readonly provider?: string;
  /** A federated user's Sextant groups, mapped from their directory's (read-only: the directory owns them). */
  readonly groups?: string[];
}

export const inviteUserRequest = z
  .object({
    username: z
      .string()
      .regex(
        /^[A-Za-z0-9._-]{3,64}$/,
        "must be 3-64 letters, digits, '.', '_' or '-'",
      ),
    email: z.string().email("must be an email address").max(254),
    administrator: z.boolean().default(false),
  })
  .strict();
export type InviteUser = z.output<typeof inviteUserRequest>;

export const updateUserRequest = z
  .object({
    enabled: z.boolean().optional(),
    administrator: z.boolean().optional(),
  })
  .strict()
  .refine((u) => u.enabled !== undefined || u.administrator !== undefined, {
    message: "set enabled, administrator or both",
  });
export type UpdateUser = z.output<typeof updateUserRequest>;

/**
 * Where users live: Cognito's user pool on AWS (admin APIs), the local issuer's store locally.
 * Only administrators create users (no self sign-up).
 */
export interface UserDirectory {
  list(): Promise<DirectoryUser[]>;
  /** Creates a user; throws {@link InvalidInputError} when the username is taken. */
  invite(input: InviteUser): Promise<DirectoryUser>;
  /** Throws {@link NotFoundError} for an unknown id. */
  update(id: string, patch: UpdateUser): Promise<DirectoryUser>;
  /** The groups a user is in now (whatever their token says); undefined when there is no such user. */
  groupsOf(username: string): Promise<string[] | undefined>;
}
