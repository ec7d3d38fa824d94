import { describe, expect, it } from "vitest";
import { USER_CLAIMS, apiGatewayEvent, lambdaContext } from "./events";
import { provideServices } from "../src/lib/services";
import { handler as listSessions } from "../src/list-sessions";

describe("when the database is unreachable (a pg pool that cannot connect, simulated)", () => {
  it("answers 503 with Retry-After in the error shape, without internal detail", async () => {
    const refused = Object.assign(
      new Error("connect ECONNREFUSED 10.0.3.7:5433"),
      { code: "ECONNREFUSED" },
    );
    const unreachable = {
      query: () => Promise.reject(refused),
      transaction: () => Promise.reject(refused),
    };
    const unused = () => Promise.reject(new Error("unused"));
    provideServices({
      db: unreachable,
      users: { list: unused, invite: unused, update: unused, groupsOf: unused },
      uploads: {
        createUploadUrl: unused,
        removeUpload: unused,
        createDownloadUrl: unused,
      },
    });
    const response = await listSessions(
      apiGatewayEvent("GET", "/sessions", USER_CLAIMS),
      lambdaContext,
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["Retry-After"]).toBe("5");
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({
      code: "ServiceUnavailable",
      message: expect.stringContaining("nothing was saved"),
    });
    expect(response.body).not.toContain("10.0.3.7");
  });
});
