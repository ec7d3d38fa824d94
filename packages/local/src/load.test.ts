import type autocannon from "autocannon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoad } from "./load.js";
import { WEBSITE_DIST } from "./paths.js";
import { startEphemeralStack } from "./stack.js";
import { allMessages, apiCaller, demoTokens } from "./test-support.js";
import { requestDemoToken } from "./token.js";

// `npm test` runs a bounded version; `npm run test:soak` the full minute.
const SOAK = process.env.SEXTANT_SOAK === "1";
const USERS = 50;
const SECONDS = SOAK ? 60 : 10;

const QUESTIONS = [
  "What did the president say about the economy and jobs?",
  "What was said about taxes?",
  "What did the address say about education and schools?",
  "What was proposed for health care?",
  "What did the president say about the Soviet Union?",
];

let stack: Awaited<ReturnType<typeof startEphemeralStack>>;
let call: ReturnType<typeof apiCaller>;
const tokens: string[] = [];

beforeAll(async () => {
  stack = await startEphemeralStack(WEBSITE_DIST, { seedDemoCorpus: true });
  call = apiCaller(stack.apiUrl);
  const { admin } = await demoTokens(stack);
  // Fifty real users, each with its own token: isolation is under load too.
  for (let i = 0; i < USERS; i++) {
    const username = `load-${i}`;
    const invited = await call("POST", "/admin/users", {
      token: admin,
      body: { username, email: `${username}@example.com` },
    });
    expect(invited.status).toBe(201);
    const user = stack.users.find((u) => u.username === username)!;
    tokens.push(
      await requestDemoToken(stack.issuerUrl, username, user.password),
    );
  }
}, 180_000);
afterAll(() => stack?.close());

interface Acknowledged {
  readonly token: string;
  readonly sessionId: string;
  readonly question: string;
}

describe(`under load: ${USERS} users for ${SECONDS} s, each creating a session, asking and reading its history (autocannon)`, () => {
  it(
    "acknowledges no message it then loses, keeps each history in order, and answers no 5xx",
    async () => {
      const acknowledged: Acknowledged[] = [];
      let nextUser = 0;
      type Context = {
        token?: string;
        sessionId?: string;
        asked?: string;
        n?: number;
      };
      const json = (token: string) => ({
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
      });

      const result = await runLoad({
        url: stack.websiteUrl,
        connections: USERS,
        duration: SECONDS,
        timeout: 30,
        // autocannon resets the context after the last request, so each round is one user's visit:
        // a new session, then three questions, each followed by reading the history.
        requests: [
          {
            setupRequest: (request, context: Context) => {
              context.token = tokens[nextUser++ % tokens.length];
              context.n = 0;
              return {
                ...request,
                method: "POST",
                path: "/api/sessions",
                headers: json(context.token),
                body: "{}",
              };
            },
            onResponse: (status, body, context: Context) => {
              if (status === 201) context.sessionId = JSON.parse(body).id;
            },
          },
          ...[1, 2, 3].flatMap(() => [
            {
              setupRequest: (request: autocannon.Request, context: Context) => {
                context.asked = `${QUESTIONS[context.n! % QUESTIONS.length]} (#${context.n})`;
                context.n! += 1;
                return {
                  ...request,
                  method: "POST" as const,
                  path: `/api/sessions/${context.sessionId}/messages`,
                  headers: json(context.token!),
                  body: JSON.stringify({ question: context.asked }),
                };
              },
              onResponse: (status: number, _body: string, context: Context) => {
                if (status === 200)
                  acknowledged.push({
                    token: context.token!,
                    sessionId: context.sessionId!,
                    question: context.asked!,
                  });
              },
            },
            {
              setupRequest: (
                request: autocannon.Request,
                context: Context,
              ) => ({
                ...request,
                method: "GET" as const,
                path: `/api/sessions/${context.sessionId}/messages?limit=10`,
                headers: json(context.token!),
              }),
            },
          ]),
        ],
      });

      const fiveHundreds = Object.entries(result.statuses)
        .filter(([status]) => Number(status) >= 500)
        .reduce((n, [, count]) => n + count, 0);
      expect(fiveHundreds).toBe(0);
      expect(result.errors).toBe(0);
      expect(acknowledged.length).toBeGreaterThan(USERS);

      // Every acknowledged question is in its session's history, in the order it was asked, each
      // followed by its answer.
      const bySession = new Map<string, Acknowledged[]>();
      for (const a of acknowledged)
        bySession.set(a.sessionId, [...(bySession.get(a.sessionId) ?? []), a]);
      let lost = 0;
      for (const [sessionId, asked] of bySession) {
        const history = await allMessages(call, asked[0].token, sessionId);
        const questions = history
          .filter((m) => m.role === "user")
          .map((m) => m.content);
        lost += asked.filter((a) => !questions.includes(a.question)).length;
        expect(
          questions.filter((q) => asked.some((a) => a.question === q)),
        ).toEqual(asked.map((a) => a.question));
        history.forEach((m, i) =>
          expect(m.role).toBe(i % 2 === 0 ? "user" : "assistant"),
        );
      }
      expect(lost).toBe(0);
      console.info(
        JSON.stringify({
          users: USERS,
          ...result,
          acknowledgedMessages: acknowledged.length,
          sessions: bySession.size,
          lost,
        }),
      );
    },
    (SECONDS + 120) * 1000,
  );
});
