import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentCallerCheck, recordUserAccess } from "./user-access";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { UnauthenticatedError } from "../errors";
import { callerFromClaims } from "../identity/caller";

let store: OpenDatabase;
beforeAll(async () => {
  store = await openDatabase(undefined, "");
});
afterAll(() => store.close());

const admin = callerFromClaims({
  sub: "s-1",
  username: "ada",
  "cognito:groups": ["Administrators", "HR"],
});

describe("the caller's current access (real Postgres)", () => {
  it("leaves a caller with no record as their token says", async () => {
    expect(await currentCallerCheck()(store.db, admin)).toEqual(admin);
  });

  it("drops Administrators after a demotion and refuses after a disable, once the cache has expired", async () => {
    let clock = 0;
    const check = currentCallerCheck(2_000, () => clock);
    await recordUserAccess(store.db, {
      username: "ada",
      enabled: true,
      administrator: true,
    });
    expect((await check(store.db, admin)).isAdministrator).toBe(true);
    await recordUserAccess(store.db, {
      username: "ada",
      enabled: true,
      administrator: false,
    });
    clock = 1_999; // still cached: the worst-case delay is the TTL
    expect((await check(store.db, admin)).isAdministrator).toBe(true);
    clock = 2_000;
    const demoted = await check(store.db, admin);
    expect(demoted).toMatchObject({ isAdministrator: false, groups: ["HR"] });
    await recordUserAccess(store.db, {
      username: "ada",
      enabled: false,
      administrator: false,
    });
    clock = 4_000;
    await expect(check(store.db, admin)).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
  });

  it("never grants Administrators that the token lacks (a promotion waits for the next token)", async () => {
    await recordUserAccess(store.db, {
      username: "grace",
      enabled: true,
      administrator: true,
    });
    const grace = callerFromClaims({ sub: "s-2", username: "grace" });
    expect((await currentCallerCheck()(store.db, grace)).isAdministrator).toBe(
      false,
    );
  });
});
