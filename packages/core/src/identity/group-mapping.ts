/** Directory group → Sextant group, as the deployment declares it (context key `groupMapping`). */
export type GroupMapping = Readonly<Record<string, string>>;

/** How a federated user's provider speaks: SAML 2.0 or OpenID Connect. */
export type ProviderType = "saml" | "oidc";

/**
 * A Sextant group name: what `cognito:groups` can carry through API Gateway, which flattens the
 * claim to a string split on spaces and commas ({@link parseGroupsClaim}).
 */
const SEXTANT_GROUP = /^[A-Za-z0-9._+=@-]{1,128}$/;

/** A problem with a mapping: which entry, and why. */
export interface MappingProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The problems of a group mapping (empty when it is valid): an object of non-empty directory
 * groups to Sextant group names. `Administrators` may be a target, since only an explicit
 * mapping ever gives it.
 */
export function groupMappingProblems(mapping: unknown): MappingProblem[] {
  if (typeof mapping !== "object" || mapping === null || Array.isArray(mapping))
    return [
      {
        path: "",
        message:
          'must be an object of directory group to Sextant group, e.g. {"contoso-hr": "HR"}',
      },
    ];
  const problems: MappingProblem[] = [];
  for (const [from, to] of Object.entries(mapping)) {
    if (from.length === 0 || from.length > 512 || from !== from.trim())
      problems.push({
        path: JSON.stringify(from),
        message:
          "a directory group must be 1 to 512 characters, without leading or trailing spaces",
      });
    if (typeof to !== "string" || !SEXTANT_GROUP.test(to))
      problems.push({
        path: JSON.stringify(from),
        message:
          "must map to a Sextant group: 1 to 128 letters, digits or . _ + = @ -",
      });
  }
  return problems;
}

/**
 * The directory groups a federated user's groups attribute holds, read in the form Amazon Cognito
 * stores it for the provider's type:
 * - OIDC: a claim that is a list is stored as its JSON (`["a","b"]`); a claim that is one string,
 *   as that string.
 * - SAML: an attribute with several values is stored as `[a, b]` (the values joined by ", "
 *   between brackets); with one value, as that value.
 *
 * Nothing is trimmed, case-folded or split on anything else, so a value can only ever be read as
 * the group names it spells exactly. A SAML group whose own name holds ", " reads as two: map on
 * groups whose names only the directory's administrators choose (docs/security.md).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-specifying-attribute-mapping.html
 */
export function directoryGroupsOf(
  value: string | undefined,
  type: ProviderType,
): string[] {
  if (!value) return [];
  if (type === "oidc") {
    if (value.startsWith("[")) {
      try {
        const list: unknown = JSON.parse(value);
        if (Array.isArray(list))
          return list.filter((g): g is string => typeof g === "string");
      } catch {
        // Not a JSON list: one group whose name starts with "[".
      }
    }
    return [value];
  }
  return value.startsWith("[") && value.endsWith("]")
    ? value.slice(1, -1).split(", ")
    : [value];
}

/**
 * The Sextant groups of a federated user: each directory group the mapping names exactly, mapped.
 * Unmapped directory groups are dropped; nothing passes through unmapped, so `Administrators`
 * only ever comes from an explicit mapping.
 */
export function mapDirectoryGroups(
  directoryGroups: readonly string[],
  mapping: GroupMapping,
): string[] {
  const mapped = new Set<string>();
  for (const group of directoryGroups)
    if (Object.hasOwn(mapping, group)) mapped.add(mapping[group]);
  return [...mapped].sort();
}

/** The custom user-pool attribute a federated user's directory groups are mapped into at sign-in. */
export const DIRECTORY_GROUPS_ATTRIBUTE = "custom:directory_groups";

/**
 * The provider of a federated Cognito user, from the `identities` attribute Cognito keeps for them
 * (a JSON list of `{ providerName, providerType, userId, … }`); undefined for a local user.
 */
export function federatedProviderOf(
  identities: string | undefined,
): { name: string; type: ProviderType } | undefined {
  if (!identities) return undefined;
  try {
    const [first] = JSON.parse(identities) as {
      providerName?: string;
      providerType?: string;
    }[];
    if (!first?.providerName) return undefined;
    const type = first.providerType?.toUpperCase() === "SAML" ? "saml" : "oidc";
    return { name: first.providerName, type };
  } catch {
    return undefined;
  }
}
