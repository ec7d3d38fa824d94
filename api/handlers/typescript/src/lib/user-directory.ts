import type { UserDirectory } from "@sextant/core/store";
import { service } from "./services";

/** The user directory: on AWS the Cognito user pool (`USER_POOL_ID`, `GROUP_MAPPING`), its client loaded on first use. */
export function userDirectory(): Promise<UserDirectory> {
  return service("users", async () => {
    const { CognitoUserDirectory } = await import("./aws/cognito");
    const mapping = process.env.GROUP_MAPPING;
    // With single sign-on (GROUP_MAPPING), federated users' groups are their directory's, mapped.
    return new CognitoUserDirectory(
      process.env.USER_POOL_ID ?? "",
      undefined,
      mapping ? JSON.parse(mapping) : undefined,
    );
  });
}
