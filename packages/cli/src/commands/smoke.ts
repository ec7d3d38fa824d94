import { readLocalState, requestDemoToken } from "@sextant/local/client";
import type { Command } from "commander";

/** One check of the smoke test: what, whether it passed, how long it took, and why not. */
export interface SmokeStep {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
}

/** What the smoke test talks to: the API's base URL and two signed-in users. */
export interface SmokeTarget {
  readonly apiUrl: string;
  readonly adminToken: string;
  readonly userToken: string;
  /** How long the upload may take to reach `ready`. @default 120 s */
  readonly ingestTimeoutMs?: number;
}

class StepFailed extends Error {}

/** Words the uploaded document holds and the question asks about, so the answer must cite it. */
const MARKER = "lighthouse keeper of Sextant's smoke test";

/**
 * A deployment's smoke test, over HTTP only: `/me` for a user and an administrator, an admin route
 * (403 for the user, 200 for the administrator), a document uploaded through the presigned URL and
 * ingested to `ready`, and a streamed question about it answered with citations (time to first
 * token measured). It deletes what it created. Every step runs; the result says which failed.
 */
export async function runSmoke(target: SmokeTarget): Promise<SmokeStep[]> {
  const api = target.apiUrl.replace(/\/+$/, "");
  const call = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as any) : undefined,
    };
  };
  const expectStatus = (
    what: string,
    got: { status: number; body?: any },
    status: number,
  ) => {
    if (got.status !== status)
      throw new StepFailed(
        `${what}: HTTP ${got.status}, expected ${status}${got.body?.message ? ` (${got.body.message})` : ""}`,
      );
  };

  const steps: SmokeStep[] = [];
  const step = async (name: string, check: () => Promise<string | void>) => {
    const t0 = performance.now();
    try {
      const detail = await check();
      steps.push({
        name,
        ok: true,
        ms: Math.round(performance.now() - t0),
        ...(detail ? { detail } : {}),
      });
    } catch (e) {
      steps.push({
        name,
        ok: false,
        ms: Math.round(performance.now() - t0),
        detail: e instanceof StepFailed ? e.message : String(e),
      });
    }
  };

  await step("GET /me as a user and as an administrator", async () => {
    const user = await call("GET", "/me", target.userToken);
    expectStatus("user", user, 200);
    const admin = await call("GET", "/me", target.adminToken);
    expectStatus("administrator", admin, 200);
    if (user.body.isAdministrator || !admin.body.isAdministrator)
      throw new StepFailed(
        `isAdministrator: user ${user.body.isAdministrator}, administrator ${admin.body.isAdministrator}`,
      );
    return `${user.body.username}, ${admin.body.username} (administrator)`;
  });

  await step(
    "an admin route: 403 for the user, 200 for the administrator",
    async () => {
      expectStatus(
        "user",
        await call("GET", "/admin/inference-config", target.userToken),
        403,
      );
      expectStatus(
        "administrator",
        await call("GET", "/admin/inference-config", target.adminToken),
        200,
      );
    },
  );

  let uploaded: string | undefined;
  await step("a document uploaded and ingested to ready", async () => {
    const content = `Smoke test ${new Date().toISOString()}: the ${MARKER} logged calm seas and a passing schooner.`;
    const filename = `sextant-smoke-${Date.now()}.txt`;
    const upload = await call(
      "POST",
      "/admin/documents/upload-url",
      target.adminToken,
      {
        filename,
        size: Buffer.byteLength(content),
      },
    );
    expectStatus("POST /admin/documents/upload-url", upload, 201);
    const put = await fetch(upload.body.url, {
      method: "PUT",
      headers: upload.body.headers,
      body: content,
    });
    if (!put.ok)
      throw new StepFailed(`PUT to the upload URL: HTTP ${put.status}`);
    const deadline = Date.now() + (target.ingestTimeoutMs ?? 120_000);
    const t0 = performance.now();
    for (;;) {
      const found = await findDocument(
        call,
        target.adminToken,
        upload.body.source,
      );
      if (found?.status === "ready") {
        uploaded = found.id;
        return `ready after ${Math.round(performance.now() - t0)} ms, ${found.chunkCount} chunks`;
      }
      if (found?.status === "failed")
        throw new StepFailed(`ingestion failed: ${found.error}`);
      if (Date.now() > deadline)
        throw new StepFailed(
          `not ready after ${target.ingestTimeoutMs ?? 120_000} ms (status ${found?.status ?? "not listed"})`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  await step("a streamed question answered with citations", async () => {
    const session = await call("POST", "/sessions", target.userToken, {
      title: "smoke test",
    });
    expectStatus("POST /sessions", session, 201);
    try {
      const t0 = performance.now();
      const response = await fetch(
        `${api}/sessions/${session.body.id}/messages/stream`,
        {
          method: "POST",
          headers: {
            Authorization: `Bearer ${target.userToken}`,
            "Content-Type": "application/json",
          },
          body: JSON.stringify({ question: `What did the ${MARKER} log?` }),
        },
      );
      if (response.status !== 200)
        throw new StepFailed(
          `stream: HTTP ${response.status}: ${await response.text()}`,
        );
      let firstTokenMs: number | undefined;
      let done: any;
      let buffered = "";
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (!line.trim()) continue;
          const event = JSON.parse(line);
          if (event.type === "token" && firstTokenMs === undefined)
            firstTokenMs = performance.now() - t0;
          if (event.type === "error")
            throw new StepFailed(
              `error event: ${event.code}: ${event.message}`,
            );
          if (event.type === "done") done = event;
        }
      }
      const sources: { source: string }[] = done?.answer?.sources ?? [];
      if (!done) throw new StepFailed("the stream ended without a done event");
      if (sources.length === 0)
        throw new StepFailed("the answer cites no source");
      return `first token after ${Math.round(firstTokenMs ?? NaN)} ms, ${sources.length} sources`;
    } finally {
      await call("DELETE", `/sessions/${session.body.id}`, target.userToken);
    }
  });

  // What the smoke test created goes again.
  if (uploaded)
    await call("DELETE", `/admin/documents/${uploaded}`, target.adminToken);
  return steps;
}

/** The document with this source, looked up page by page. */
async function findDocument(
  call: (
    method: string,
    path: string,
    token: string,
  ) => Promise<{ status: number; body?: any }>,
  token: string,
  source: string,
): Promise<
  { id: string; status: string; chunkCount: number; error?: string } | undefined
> {
  let cursor: string | undefined;
  do {
    const page = await call(
      "GET",
      `/admin/documents?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      token,
    );
    if (page.status !== 200)
      throw new StepFailed(`GET /admin/documents: HTTP ${page.status}`);
    const found = page.body.items.find(
      (d: { source: string }) => d.source === source,
    );
    if (found) return found;
    cursor = page.body.nextCursor;
  } while (cursor);
  return undefined;
}

/** `sextant smoke`: the post-deployment check, against the local stack or a deployed API. */
export function smokeCommand(program: Command): void {
  program
    .command("smoke")
    .description(
      "Check a running deployment end to end: sign-in, /me, an admin route, a cited answer (time to first token), an upload ingested to ready",
    )
    .option(
      "--api-url <url>",
      "the API (https://<website>/api); default: the local stack of `npm start`",
    )
    .option(
      "--admin-token <token>",
      "an administrator's access token (or SEXTANT_SMOKE_ADMIN_TOKEN)",
    )
    .option(
      "--user-token <token>",
      "a non-administrator's access token (or SEXTANT_SMOKE_USER_TOKEN)",
    )
    .option("--json", "print the steps as JSON")
    .action(
      async (options: {
        apiUrl?: string;
        adminToken?: string;
        userToken?: string;
        json?: boolean;
      }) => {
        const t0 = performance.now();
        let target: SmokeTarget;
        if (options.apiUrl) {
          const adminToken =
            options.adminToken ?? process.env.SEXTANT_SMOKE_ADMIN_TOKEN;
          const userToken =
            options.userToken ?? process.env.SEXTANT_SMOKE_USER_TOKEN;
          if (!adminToken || !userToken)
            program.error(
              "error: with --api-url, give --admin-token and --user-token (or SEXTANT_SMOKE_ADMIN_TOKEN and SEXTANT_SMOKE_USER_TOKEN): access tokens of an administrator and of another user, signed in through the website",
              { exitCode: 2 },
            );
          target = { apiUrl: options.apiUrl, adminToken, userToken };
        } else {
          const state = readLocalState();
          const local = state.users.filter((u) => !u.provider);
          const admin = local.find((u) => u.groups.includes("Administrators"));
          const user = local.find((u) => !u.groups.includes("Administrators"));
          if (!admin || !user)
            program.error(
              "error: the local stack has no administrator and user to sign in as",
              { exitCode: 2 },
            );
          target = {
            apiUrl: state.apiUrl,
            adminToken: await requestDemoToken(
              state.issuerUrl,
              admin.username,
              admin.password,
            ),
            userToken: await requestDemoToken(
              state.issuerUrl,
              user.username,
              user.password,
            ),
          };
        }
        const signInMs = Math.round(performance.now() - t0);
        const steps = [
          { name: "sign in (two users)", ok: true, ms: signInMs },
          ...(await runSmoke(target)),
        ];
        if (options.json)
          console.log(JSON.stringify({ apiUrl: target.apiUrl, steps }));
        else
          for (const s of steps)
            console.log(
              `${s.ok ? "ok  " : "FAIL"} ${String(s.ms).padStart(6)} ms  ${s.name}${s.detail ? `: ${s.detail}` : ""}`,
            );
        if (steps.some((s) => !s.ok)) process.exitCode = 1;
      },
    );
}
