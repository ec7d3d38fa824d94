import { readFileSync } from "node:fs";
import {
  requestDemoToken,
  startEphemeralStack,
  WEBSITE_DIST,
} from "@sextant/local";
import autocannon from "autocannon";
import { percentile, round } from "./stats.js";

/** One load run with autocannon: requests/s, p50/p95 from every response's own time, errors. */
async function load(options: {
  url: string;
  method: "GET" | "POST";
  token: string;
  body?: string;
  connections: number;
  seconds: number;
}) {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        method: options.method,
        connections: options.connections,
        duration: options.seconds,
        headers: {
          Authorization: `Bearer ${options.token}`,
          "Content-Type": "application/json",
        },
        body: options.body,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance.on("response", (_client, statusCode, _bytes, ms) => {
    times.push(ms);
    statuses[statusCode] =
      (statusCode in statuses ? statuses[statusCode] : 0) + 1;
  });
  const result = await done;
  return {
    connections: options.connections,
    seconds: options.seconds,
    requests: times.length,
    requestsPerSecond: round(times.length / options.seconds, 1),
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    statuses,
    errors: result.errors + result.timeouts,
  };
}

/**
 * The API on the local stack as `npm start` runs it (demo corpus, authentication on, offline
 * defaults): latency of single questions about the corpus, then throughput of `POST .../messages`
 * and `GET /sessions` under load from autocannon.
 */
export async function benchApi(
  questionsFile: string,
  options: { seconds: number },
) {
  const started = performance.now();
  const stack = await startEphemeralStack(WEBSITE_DIST, {
    seedDemoCorpus: true,
  });
  const startMs = round(performance.now() - started, 0);
  try {
    const user = stack.users.find((u) => u.username === "user")!;
    const token = await requestDemoToken(
      stack.issuerUrl,
      "user",
      user.password,
    );
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await response.json()) as any;
    };

    // One question at a time, as a user asks them: wall-clock time of the HTTP call.
    const questions = (
      JSON.parse(readFileSync(questionsFile, "utf8")) as { question: string }[]
    ).map((q) => q.question);
    const session = await api("POST", "/sessions", {});
    const single: number[] = [];
    let cited = 0;
    for (const question of questions) {
      const t = performance.now();
      const turn = await api("POST", `/sessions/${session.id}/messages`, {
        question,
      });
      single.push(performance.now() - t);
      if (turn.answer?.sources?.length > 0) cited += 1;
    }

    const loadSession = await api("POST", "/sessions", {});
    const messages = await load({
      url: `${stack.apiUrl}/sessions/${loadSession.id}/messages`,
      method: "POST",
      token,
      body: JSON.stringify({
        question: "What did the president say about the economy and jobs?",
      }),
      connections: 10,
      seconds: options.seconds,
    });
    const sessions = await load({
      url: `${stack.apiUrl}/sessions`,
      method: "GET",
      token,
      connections: 10,
      seconds: options.seconds,
    });
    return {
      corpus: {
        documents: stack.seeded?.added,
        chunks: stack.seeded?.chunks,
        stackStartMs: startMs,
      },
      question: {
        questions: questions.length,
        withCitations: cited,
        medianMs: round(percentile(single, 50)),
        p95Ms: round(percentile(single, 95)),
      },
      postMessages: messages,
      getSessions: sessions,
    };
  } finally {
    await stack.close();
  }
}
