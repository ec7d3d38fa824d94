import type { UserDirectory } from "@sextant/core/store";
import { service } from "./services";

/** The user directory: on AWS the Cognito user pool (`USER_POOL_ID`), its client loaded on first use. */
export function userDirectory(): Promise<UserDirectory> {
  return service("users", async () => {
    const { CognitoUserDirectory } = await import("./aws/cognito");
    return new CognitoUserDirectory(process.env.USER_POOL_ID ?? "");
  });
}
