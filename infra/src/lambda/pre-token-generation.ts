import {
  DIRECTORY_GROUPS_ATTRIBUTE,
  directoryGroupsOf,
  federatedProviderOf,
  mapDirectoryGroups,
  type GroupMapping,
} from "@sextant/core";

/**
 * The V2 pre-token-generation event, as far as the trigger reads and writes it.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export interface PreTokenGenerationEvent {
  readonly triggerSource: string;
  readonly userName: string;
  readonly request: {
    readonly userAttributes: Readonly<Record<string, string>>;
    readonly groupConfiguration: { readonly groupsToOverride?: string[] };
  };
  response: {
    claimsAndScopeOverrideDetails?: {
      accessTokenGeneration?: {
        claimsToAddOrOverride?: Record<string, string>;
      };
      groupOverrideDetails?: { groupsToOverride: string[] };
    } | null;
  };
}

/**
 * At every sign-in and token refresh: the access token gets the user's `email` (Cognito leaves
 * it out), and a federated user's `cognito:groups` become their directory groups mapped by the
 * deployment's `groupMapping` (the groups attribute Cognito wrote at their last sign-in through
 * the provider). Unmapped directory groups are dropped and Cognito groups are not theirs: the
 * directory owns a federated user's groups. A local user's groups are left as they are.
 */
export function preTokenGeneration(
  event: PreTokenGenerationEvent,
  mapping: GroupMapping,
): PreTokenGenerationEvent {
  const attributes = event.request.userAttributes;
  const provider = federatedProviderOf(attributes.identities);
  const email = attributes.email;
  event.response = {
    claimsAndScopeOverrideDetails: {
      ...(email
        ? { accessTokenGeneration: { claimsToAddOrOverride: { email } } }
        : {}),
      ...(provider
        ? {
            groupOverrideDetails: {
              groupsToOverride: mapDirectoryGroups(
                directoryGroupsOf(
                  attributes[DIRECTORY_GROUPS_ATTRIBUTE],
                  provider.type,
                ),
                mapping,
              ),
            },
          }
        : {}),
    },
  };
  return event;
}

const mapping: GroupMapping = JSON.parse(process.env.GROUP_MAPPING || "{}");

export const handler = async (event: PreTokenGenerationEvent) =>
  preTokenGeneration(event, mapping);
