import { readFileSync } from "node:fs";
import {
  CLI_CLIENT_ID,
  createTokenVerifier,
  percentile,
  requestDemoToken,
  round,
  runLoad,
  startEphemeralStack,
  WEBSITE_CLIENT_ID,
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

    // Authentication: one access-token verification (signature, issuer, expiry, token use,
    // client), against the whole of the cheapest authenticated request, GET /me.
    const verifier = await createTokenVerifier({
      issuerUrl: stack.issuerUrl,
      clientIds: [CLI_CLIENT_ID, WEBSITE_CLIENT_ID],
    });
    const verifyMs: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await verifier.verify(`Bearer ${token}`);
      verifyMs.push(performance.now() - t);
    }
    const meMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await api("GET", "/me");
      meMs.push(performance.now() - t);
    }
    const auth = {
      verifications: verifyMs.length,
      verifyMedianUs: round(percentile(verifyMs, 50) * 1000, 0),
      verifyP95Us: round(percentile(verifyMs, 95) * 1000, 0),
      baseline: {
        what: "GET /me over HTTP, whole request",
        medianMs: round(percentile(meMs, 50)),
      },
      shareOfRequest: round(percentile(verifyMs, 50) / percentile(meMs, 50), 3),
    };

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
      auth,
    };
  } finally {
    await stack.close();
  }
}
