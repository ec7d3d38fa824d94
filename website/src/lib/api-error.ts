import { ResponseError } from "@sextant/api-typescript-react-query-hooks";
import i18next from "i18next";
import { formatters } from "./format";

/** An API error as the website shows it: the status, the message for people, and each invalid field. */
export interface ApiProblem {
  readonly status?: number;
  readonly code?: string;
  readonly message: string;
  readonly fields: readonly { path: string; message: string }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null;

const QUOTA_LIMITS = [
  "messagesPerDay",
  "tokensPerDay",
  "requestsPerMinute",
  "monthlyBudgetUsd",
];

/**
 * The API words its messages in English. A usage limit (429) also says which limit and when it
 * resets, so in another language the website words it from those: the time in the page's
 * language and time zone. English keeps the API's own message, which has the figures.
 */
function quotaMessage(body: Record<string, unknown>): string | undefined {
  if (
    body.code !== "TooManyRequests" ||
    typeof body.limit !== "string" ||
    !QUOTA_LIMITS.includes(body.limit) ||
    typeof body.resetsAt !== "string" ||
    i18next.language === "en"
  )
    return undefined;
  const at = new Date(body.resetsAt);
  const format = formatters(i18next.language);
  return i18next.t(`errors.quota.${body.limit}`, {
    time: format.time(at),
    date: format.dateTime(at),
  });
}

/** Reads the API's error shape (`{ code, message, fields? }`) from a failed call; anything else becomes a plain message. */
export async function toProblem(error: unknown): Promise<ApiProblem> {
  if (error instanceof ResponseError) {
    const status = error.response.status;
    const body: unknown = await error.response
      .clone()
      .json()
      .catch(() => undefined);
    if (isRecord(body) && typeof body.message === "string") {
      return {
        status,
        code: typeof body.code === "string" ? body.code : undefined,
        message: quotaMessage(body) ?? body.message,
        fields: Array.isArray(body.fields) ? body.fields : [],
      };
    }
    return {
      status,
      message: i18next.t("errors.httpStatus", { status }),
      fields: [],
    };
  }
  if (isRecord(error) && typeof error.message === "string")
    return { message: error.message, fields: [] };
  return { message: String(error), fields: [] };
}

/** The HTTP status of a failed API call, if it got an answer. */
export const statusOf = (error: unknown): number | undefined =>
  error instanceof ResponseError ? error.response.status : undefined;
