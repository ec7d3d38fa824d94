import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { authenticate, type DemoUser } from "./demo-users.js";
import { escapeHtml, page } from "./issuer.js";

const MAX_FORM_BYTES = 8 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES)
      throw new Error("The sign-in form is too large.");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function loginForm(uid: string, username = "", error?: string): string {
  return page(
    "Sign in to Sextant",
    `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" value="${escapeHtml(username)}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>
<p class="note">Local demo issuer. The demo users and their passwords are in <code>.sextant/local.json</code>.</p>`,
  );
}

/**
 * The issuer's sign-in screen: GET shows the form, POST checks the demo user's password and
 * finishes the login prompt. Consent is implicit for first-party clients (see `loadExistingGrant`).
 */
export async function handleInteraction(
  provider: Provider,
  users: readonly DemoUser[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const send = (status: number, html: string) => {
    res.writeHead(status, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
    });
    res.end(html);
  };
  if (details.prompt.name === "login") {
    if (req.method === "GET") return send(200, loginForm(details.uid));
    if (req.method === "POST" && req.url?.endsWith("/login")) {
      const form = await readForm(req);
      const username = form.get("username") ?? "";
      const user = authenticate(users, username, form.get("password") ?? "");
      if (!user)
        return send(
          401,
          loginForm(details.uid, username, "Wrong username or password."),
        );
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
  }
  if (details.prompt.name === "consent") {
    // Reached only when loadExistingGrant did not cover the request: grant it as asked (first-party client).
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({
          accountId: details.session!.accountId,
          clientId: details.params.client_id as string,
        });
    grant!.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant!.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
    return;
  }
  send(
    400,
    page(
      "Sign-in error",
      "<p>This sign-in step is not supported by the local issuer.</p>",
    ),
  );
}
