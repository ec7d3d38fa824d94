import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { authenticate } from "./demo-users.js";
import { escapeHtml, page } from "./issuer.js";
import {
  SIGN_IN_MESSAGES,
  signInLanguage,
  type SignInLanguage,
} from "./sign-in-messages.js";

/** Whose sign-in screen it is: Sextant's issuer, or the directory standing in for a company's. */
export interface SignInScreen {
  /** Who the sign-in is to ("Sextant", "Example Corp"). */
  readonly name: string;
  /** Where the screen's paths start (`/example-corp` for the directory). @default "" */
  readonly basePath?: string;
  /** The note under the form: the demo issuer's, or the stand-in directory's. */
  readonly note: "issuerNote" | "directoryNote";
  /** Single sign-on buttons: a provider's name and where its sign-in starts (`/interaction/<uid>/federated/<name>`). */
  readonly providers?: readonly string[];
}

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

function loginForm(
  language: SignInLanguage,
  screen: SignInScreen,
  uid: string,
  username = "",
  error?: string,
): string {
  const m = SIGN_IN_MESSAGES[language];
  const base = `${screen.basePath ?? ""}/interaction/${encodeURIComponent(uid)}`;
  const providers = (screen.providers ?? [])
    .map(
      (name) =>
        `<p><a class="provider" href="${escapeHtml(`${base}/federated/${encodeURIComponent(name)}`)}">${escapeHtml(m.signInWith(name))}</a></p>`,
    )
    .join("");
  return page(
    language,
    m.signInTo(screen.name),
    `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(base)}/login" autocomplete="off">
<label for="username">${escapeHtml(m.username)}</label><input id="username" name="username" value="${escapeHtml(username)}" required autofocus>
<label for="password">${escapeHtml(m.password)}</label><input id="password" name="password" type="password" required>
<button type="submit">${escapeHtml(m.signIn)}</button></form>
${providers}<p class="note">${escapeHtml(m[screen.note])}</p>`,
  );
}

/**
 * The issuer's sign-in screen: GET shows the form, POST checks the demo user's password and
 * finishes the login prompt. Consent is implicit for first-party clients (see `loadExistingGrant`).
 */
export async function handleInteraction(
  provider: Provider,
  users: readonly {
    sub: string;
    username: string;
    password: string;
    enabled?: boolean;
    provider?: string;
  }[],
  req: IncomingMessage,
  res: ServerResponse,
  screen: SignInScreen,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  // In the browser's language (Accept-Language), as the website will be.
  const language = signInLanguage(req);
  const send = (status: number, html: string) => {
    res.writeHead(status, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
    });
    res.end(html);
  };
  if (details.prompt.name === "login") {
    // `identity_provider=<name>` (as Cognito takes it): straight to that provider's sign-in.
    const straightTo = String(details.params.identity_provider ?? "");
    if (req.method === "GET" && screen.providers?.includes(straightTo)) {
      res.writeHead(302, {
        Location: `${screen.basePath ?? ""}/interaction/${encodeURIComponent(details.uid)}/federated/${encodeURIComponent(straightTo)}`,
      });
      res.end();
      return;
    }
    if (req.method === "GET")
      return send(200, loginForm(language, screen, details.uid));
    if (req.method === "POST" && req.url?.endsWith("/login")) {
      const form = await readForm(req);
      const username = form.get("username") ?? "";
      const user = authenticate(users, username, form.get("password") ?? "");
      if (!user)
        return send(
          401,
          loginForm(
            language,
            screen,
            details.uid,
            username,
            SIGN_IN_MESSAGES[language].wrongPassword,
          ),
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
      language,
      SIGN_IN_MESSAGES[language].error,
      `<p>${escapeHtml(SIGN_IN_MESSAGES[language].unsupported)}</p>`,
    ),
  );
}
