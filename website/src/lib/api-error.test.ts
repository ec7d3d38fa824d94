import { ResponseError } from "@sextant/api-typescript-react-query-hooks";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { statusOf, toProblem } from "./api-error";
import de from "../locales/de.json";

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

describe("toProblem, a usage limit in another language than English", () => {
  const quota = () =>
    failed(
      429,
      JSON.stringify({
        code: "TooManyRequests",
        message:
          "You asked 20 questions today, your daily limit: it resets at midnight UTC.",
        limit: "messagesPerDay",
        resetsAt: "2026-12-02T00:00:00.000Z",
      }),
    );

  it("words it from the limit and the reset time in the page's language; English keeps the API's figures", async () => {
    expect((await toProblem(quota())).message).toContain("20 questions");
    i18next.addResourceBundle("de", "translation", de);
    await i18next.changeLanguage("de");
    try {
      const { message } = await toProblem(quota());
      expect(message).toMatch(
        /^Sie haben Ihr Tageslimit an Fragen erreicht: Es wird um \d{2}:\d{2} zurückgesetzt\.$/,
      );
    } finally {
      await i18next.changeLanguage("en");
    }
  });
});
