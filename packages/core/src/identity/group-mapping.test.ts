import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  directoryGroupsOf,
  federatedProviderOf,
  groupMappingProblems,
  mapDirectoryGroups,
} from "./group-mapping";

const MAPPING = {
  "example-analysts": "Analysts",
  "example-admins": "Administrators",
  "0b430838-9034-454d-ab07-43f8e1b9ff1d": "HR",
};

/** The user's Sextant groups from the attribute as Cognito stores it (the trigger's and the API's path). */
const groupsOf = (value: string, type: "saml" | "oidc") =>
  mapDirectoryGroups(directoryGroupsOf(value, type), MAPPING);

describe("directory groups mapped to Sextant groups (the pre-token trigger's and the API's code)", () => {
  it("maps the groups in each form Cognito stores them: OIDC lists as JSON, SAML values as [a, b], one value as itself", () => {
    expect(groupsOf('["example-analysts","other"]', "oidc")).toEqual([
      "Analysts",
    ]);
    expect(groupsOf("example-admins", "oidc")).toEqual(["Administrators"]);
    expect(
      groupsOf(
        "[other, example-analysts, 0b430838-9034-454d-ab07-43f8e1b9ff1d]",
        "saml",
      ),
    ).toEqual(["Analysts", "HR"]);
    expect(groupsOf("example-analysts", "saml")).toEqual(["Analysts"]);
  });

  it("drops unmapped groups, and never passes a group through unmapped: Administrators only from an explicit mapping", () => {
    expect(groupsOf('["Administrators","Analysts","HR"]', "oidc")).toEqual([]);
    expect(groupsOf("[Administrators, Analysts]", "saml")).toEqual([]);
    expect(groupsOf("", "saml")).toEqual([]);
    expect(mapDirectoryGroups(["example-analysts"], {})).toEqual([]);
  });

  it("does not let a value smuggle a group through separators, case or whitespace", () => {
    for (const [value, type] of [
      ["EXAMPLE-ADMINS", "oidc"],
      ["Example-Admins", "saml"],
      [" example-admins", "saml"],
      ["example-admins ", "oidc"],
      ["example-analysts,example-admins", "saml"],
      ["example-analysts;example-admins", "saml"],
      ["example-analysts\nexample-admins", "saml"],
      ["[example-analysts,example-admins]", "saml"],
      ["[example-analysts,  example-admins]", "saml"],
      ['["example-analysts", "example-admins"]', "saml"],
      ['["example-admins "]', "oidc"],
      ['[" example-admins"]', "oidc"],
      ['["example-admins\\u0000"]', "oidc"],
      ["[example-admins]", "oidc"],
      ['{"0":"example-admins"}', "oidc"],
      ["constructor", "oidc"],
      ["__proto__", "saml"],
      ["toString", "oidc"],
    ] as const)
      expect(
        groupsOf(value, type),
        `${type} ${JSON.stringify(value)}`,
      ).not.toContain("Administrators");
  });

  it("gives Administrators for no value that does not name example-admins as a whole group (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom(
              "example-analysts",
              "Administrators",
              "EXAMPLE-ADMINS",
              " example-admins",
              "example-admins,",
            ),
          ),
          { maxLength: 5 },
        ),
        fc.constantFrom("saml" as const, "oidc" as const),
        (groups, type) => {
          const value =
            type === "oidc"
              ? JSON.stringify(groups)
              : groups.length === 1
                ? groups[0]
                : `[${groups.join(", ")}]`;
          const named = directoryGroupsOf(value, type).includes(
            "example-admins",
          );
          expect(groupsOf(value, type).includes("Administrators")).toBe(named);
          if (type === "oidc" || !groups.some((g) => g.includes(", ")))
            expect(named).toBe(groups.includes("example-admins"));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("reads the provider of a federated user from Cognito's identities attribute", () => {
    expect(
      federatedProviderOf(
        JSON.stringify([
          {
            userId: "carol",
            providerName: "ExampleCorp",
            providerType: "OIDC",
            issuer: null,
            primary: "true",
            dateCreated: "1764460800000",
          },
        ]),
      ),
    ).toEqual({ name: "ExampleCorp", type: "oidc" });
    expect(
      federatedProviderOf('[{"providerName":"Entra","providerType":"SAML"}]'),
    ).toEqual({ name: "Entra", type: "saml" });
    expect(federatedProviderOf(undefined)).toBeUndefined();
    expect(federatedProviderOf("not json")).toBeUndefined();
  });

  it("names each problem of a malformed mapping", () => {
    expect(groupMappingProblems(MAPPING)).toEqual([]);
    expect(groupMappingProblems(["HR"])[0].message).toContain("object");
    expect(
      groupMappingProblems({ " hr": "HR", ok: "Two words", x: 3 }).map(
        (p) => p.path,
      ),
    ).toEqual(['" hr"', '"ok"', '"x"']);
  });
});
