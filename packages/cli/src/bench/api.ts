import { readFileSync } from "node:fs";
import {
  percentile,
  requestDemoToken,
  round,
  runLoad,
  startEphemeralStack,
  WEBSITE_DIST,
} from "@sextant/local";

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
    const headers = {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
    };
    const messages = await runLoad({
      url: `${stack.apiUrl}/sessions/${loadSession.id}/messages`,
      method: "POST",
      headers,
      body: JSON.stringify({
        question: "What did the president say about the economy and jobs?",
      }),
      connections: 10,
      duration: options.seconds,
    });
    const sessions = await runLoad({
      url: `${stack.apiUrl}/sessions`,
      method: "GET",
      headers,
      connections: 10,
      duration: options.seconds,
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
