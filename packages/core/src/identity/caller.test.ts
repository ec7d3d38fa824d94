import { describe, expect, it } from "vitest";
import { UnauthenticatedError } from "../errors";
import { callerFromClaims, parseGroupsClaim } from "./caller";

describe("parseGroupsClaim", () => {
  it.each([
    [
      ["Administrators", "Readers"],
      ["Administrators", "Readers"],
    ],
    ["Administrators,Readers", ["Administrators", "Readers"]],
    ["[Administrators Readers]", ["Administrators", "Readers"]],
    ["Administrators", ["Administrators"]],
    ["", []],
    [undefined, []],
    [42, []],
  ])("reads %j as %j", (value, expected) => {
    expect(parseGroupsClaim(value)).toEqual(expected);
  });
});

describe("callerFromClaims", () => {
  it("marks members of Administrators as administrators", () => {
    const caller = callerFromClaims({
      sub: "u1",
      username: "alice",
      email: "a@example.com",
      "cognito:groups": "[Administrators]",
    });
    expect(caller).toEqual({
      id: "u1",
      username: "alice",
      email: "a@example.com",
      groups: ["Administrators"],
      isAdministrator: true,
    });
  });

  it("does not treat a group whose name merely contains Administrators as the group", () => {
    expect(
      callerFromClaims({ sub: "u2", "cognito:groups": "NotAdministrators" })
        .isAdministrator,
    ).toBe(false);
  });

  it("throws UnauthenticatedError without a subject", () => {
    expect(() => callerFromClaims(undefined)).toThrow(UnauthenticatedError);
    expect(() =>
      callerFromClaims({ "cognito:groups": "Administrators" }),
    ).toThrow(UnauthenticatedError);
  });
});
