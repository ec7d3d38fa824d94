import { once } from "node:events";
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import {
  apiCaller,
  demoTokens,
  openAiStreamChunk,
  percentile,
  round,
  saveInferenceConfig,
  startEphemeralStack,
  WEBSITE_DIST,
} from "@sextant/local";

/**
 * How fast a model server starts and streams: the assumption the first-token benchmark runs on.
 * Observed on Amazon Bedrock's ConverseStream (published third-party measurements, late 2025 to
 * 2026: https://www.rjesh.com/posts/bedrock-model-benchmark, https://learn.cloudbuckle.com/docs/claude-optimization/latency-factors):
 * a small model (Claude Haiku 4.5, Amazon Nova Micro) starts in 0.25–0.4 s and writes 150–300
 * tokens a second; a large one (Claude Sonnet) starts in about 0.6–1.2 s at 80–120 tokens a second.
 * The benchmark takes the slow end of each.
 */
export const MODEL_PROFILES = {
  small: { firstTokenMs: 400, tokensPerSecond: 150 },
  large: { firstTokenMs: 1000, tokensPerSecond: 80 },
} as const;
type Profile = keyof typeof MODEL_PROFILES;

/** When the stand-in was working on a request: from its arrival to its last token (the answer: to its first). */
interface Busy {
  start: number;
  end: number;
}

/**
 * An OpenAI-compatible server on loopback that answers with `MODEL_PROFILES[modelId]`'s timing:
 * the first token after `firstTokenMs`, then one word-sized token at a time. It tells the chain's
 * steps apart by their prompts (docs/configuration.md): classify gets its JSON, condense the
 * follow-up back, the answer a cited sentence.
 */
function standInModelServer() {
  const busy: Busy[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      const request = JSON.parse(body) as {
        model: Profile;
        messages: { content: string }[];
      };
      const prompt = request.messages.map((m) => m.content).join("\n");
      const profile = MODEL_PROFILES[request.model];
      const step = prompt.includes("Classify the user's question")
        ? "classify"
        : prompt.includes("standalone question")
          ? "condense"
          : "answer";
      const text =
        step === "classify"
          ? '{"language": "en", "intent": "question", "outOfScope": false}'
          : step === "condense"
            ? "What did the president say about taxes and the national debt?"
            : "The president asked Congress to reduce taxes and to pay down the national debt [1], and said the budget would be balanced within the decade [2].";
      const tokens = text.match(/\S+\s*/g) ?? [];
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      await sleep(profile.firstTokenMs);
      const entry = { start, end: performance.now() };
      busy.push(entry);
      for (const [i, token] of tokens.entries()) {
        if (i > 0) await sleep(1000 / profile.tokensPerSecond);
        res.write(openAiStreamChunk(token));
        // The answer's model time, on the way to the first token, ends with that token.
        if (step !== "answer") entry.end = performance.now();
      }
      res.end("data: [DONE]\n\n");
    });
  });
  return { server, busy };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds of [from, to] that at least one stand-in request was busy. */
function modelMs(busy: readonly Busy[], from: number, to: number): number {
  const spans = busy
    .map((b) => ({ start: Math.max(b.start, from), end: Math.min(b.end, to) }))
    .filter((b) => b.end > b.start)
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let reached = from;
  for (const s of spans) {
    if (s.end <= reached) continue;
    total += s.end - Math.max(s.start, reached);
    reached = s.end;
  }
  return total;
}

/**
 * Time to the first answer token over the local stack's streaming route, for the first question
 * of a conversation and for a follow-up, with every chain step on a model: classify and condense
 * on `fast`, the answer on `answer`. "Sextant's share" is the part of that time when no model was
 * working: authentication, storage, retrieval, the stream itself.
 */
async function scenario(
  stack: Awaited<ReturnType<typeof startEphemeralStack>>,
  standIn: ReturnType<typeof standInModelServer>,
  models: { fast: Profile; answer: Profile },
  conversations: number,
) {
  const call = apiCaller(stack.apiUrl);
  const { admin } = await demoTokens(stack);
  const port = (standIn.server.address() as { port: number }).port;
  const model = (modelId: Profile) => ({
    provider: "openai-compatible",
    endpoint: `http://127.0.0.1:${port}/v1`,
    modelId,
    temperature: 0,
    maxTokens: 512,
  });
  await saveInferenceConfig(call, admin, (config) => ({
    ...config,
    models: {
      ...config.models,
      classify: model(models.fast),
      condense: model(models.fast),
      answer: model(models.answer),
    },
  }));
  const ask = async (sessionId: string, question: string) => {
    const sent = performance.now();
    const response = await fetch(
      `${stack.apiUrl}/sessions/${sessionId}/messages/stream`,
      {
        method: "POST",
        headers: {
          Authorization: `Bearer ${admin}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ question }),
      },
    );
    if (response.status !== 200)
      throw new Error(`stream: ${response.status} ${await response.text()}`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let firstToken: number | undefined;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (firstToken === undefined && text.includes('"type":"token"'))
        firstToken = performance.now();
    }
    if (!text.includes('"type":"done"')) throw new Error(`no answer: ${text}`);
    const ttft = firstToken! - sent;
    return { ttft, sextant: ttft - modelMs(standIn.busy, sent, firstToken!) };
  };
  const first: { ttft: number; sextant: number }[] = [];
  const followUp: { ttft: number; sextant: number }[] = [];
  for (let i = 0; i < conversations; i++) {
    const session = await call("POST", "/sessions", { token: admin, body: {} });
    first.push(
      await ask(session.body.id, "What did the president say about taxes?"),
    );
    followUp.push(await ask(session.body.id, "And about the national debt?"));
  }
  const p50 = (xs: number[]) => round(percentile(xs, 50), 0);
  return {
    fastModel: models.fast,
    answerModel: models.answer,
    firstQuestion: {
      ttftP50Ms: p50(first.map((q) => q.ttft)),
      sextantP50Ms: p50(first.map((q) => q.sextant)),
    },
    followUp: {
      ttftP50Ms: p50(followUp.map((q) => q.ttft)),
      ttftP95Ms: round(
        percentile(
          followUp.map((q) => q.ttft),
          95,
        ),
        0,
      ),
      sextantP50Ms: p50(followUp.map((q) => q.sextant)),
    },
  };
}

/**
 * The first-token benchmark (issue 28): the local stack with the demo corpus, the chain's models
 * on a stand-in server with Bedrock's latency profile (`MODEL_PROFILES`), in two set-ups: classify
 * and condense on the small model with the answer on the large one (the recommended set-up), and
 * everything on the large one. Target: a follow-up's first token ≤ 1.5 s p50 on the large answer
 * model, Sextant's own share ≤ 100 ms.
 */
export async function benchFirstToken(conversations = 8) {
  const standIn = standInModelServer();
  standIn.server.listen(0, "127.0.0.1");
  await once(standIn.server, "listening");
  const stack = await startEphemeralStack(WEBSITE_DIST, {
    seedDemoCorpus: true,
  });
  try {
    return {
      profiles: MODEL_PROFILES,
      conversations,
      recommended: await scenario(
        stack,
        standIn,
        { fast: "small", answer: "large" },
        conversations,
      ),
      allLarge: await scenario(
        stack,
        standIn,
        { fast: "large", answer: "large" },
        conversations,
      ),
    };
  } finally {
    await stack.close();
    standIn.server.close();
  }
}
