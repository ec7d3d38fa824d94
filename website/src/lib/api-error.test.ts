import { ResponseError } from "@sextant/api-typescript-react-query-hooks";
import { describe, expect, it } from "vitest";
import { statusOf, toProblem } from "./api-error";

const failed = (status: number, body: string) =>
  new ResponseError(
    new Response(body, {
      status,
      headers: { "Content-Type": "application/json" },
    }),
  );

describe("toProblem", () => {
  it("reads the API's error shape with each invalid field", async () => {
    const error = failed(
      400,
      JSON.stringify({
        code: "BadRequest",
        message: "Invalid.",
        fields: [{ path: "retrieval.k", message: "too small" }],
      }),
    );
    expect(await toProblem(error)).toEqual({
      status: 400,
      code: "BadRequest",
      message: "Invalid.",
      fields: [{ path: "retrieval.k", message: "too small" }],
    });
    expect(statusOf(error)).toBe(400);
  });

  it("names the status when the body is not the API's shape (a proxy's HTML page)", async () => {
    expect(
      await toProblem(failed(502, "<html>Bad gateway</html>")),
    ).toMatchObject({
      status: 502,
      message: "The API answered HTTP 502.",
    });
  });

  it("keeps the message of network failures", async () => {
    expect(await toProblem(new TypeError("Failed to fetch"))).toEqual({
      message: "Failed to fetch",
      fields: [],
    });
    expect(statusOf(new TypeError("x"))).toBeUndefined();
  });
});
