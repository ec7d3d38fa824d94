import "@cloudscape-design/global-styles/index.css";
import "./app.css";
import "./chat-tokens.css";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Spinner from "@cloudscape-design/components/spinner";
import { DefaultApiClientProvider } from "@sextant/api-typescript-react-query-hooks";
import i18next from "i18next";
import { WebStorageStateStore } from "oidc-client-ts";
import { StrictMode, useEffect, useMemo, useRef } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { AuthProvider, useAuth } from "react-oidc-context";
import { BrowserRouter } from "react-router-dom";
import { createApiClient } from "./api-client";
import { App } from "./App";
import { LanguageProvider } from "./components/LanguageProvider";
import { startI18n } from "./i18n";
import { preferredMode, setColorMode } from "./lib/color-mode";
import { queryClient, whenUnauthenticated } from "./query-client";
import { loadRuntimeConfig, type RuntimeConfig } from "./runtime-config";

const here = () => window.location.pathname + window.location.search;

/**
 * Signs in with OIDC authorization code + PKCE, renews the access token with the refresh token
 * before it expires, and renders the app with an authenticated API client. When the API still
 * answers 401 (the session ended), it signs in again and comes back to the same page; drafts
 * live in session storage, so nothing typed is lost.
 */
function SignedIn({ config }: { config: RuntimeConfig }) {
  const { t } = useTranslation();
  const auth = useAuth();
  // With `signInWith`, straight to that provider's sign-in (Cognito's `identity_provider`).
  const signIn = () =>
    auth.signinRedirect({
      state: here(),
      ...(config.signInWith
        ? { extraQueryParams: { identity_provider: config.signInWith } }
        : {}),
    });
  const token = auth.user?.access_token;
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const api = useMemo(
    () => createApiClient(config.apiUrl, () => tokenRef.current),
    [config.apiUrl],
  );
  useEffect(
    () => whenUnauthenticated(() => void auth.removeUser().then(signIn)),
    [auth],
  );

  if (auth.isLoading || auth.activeNavigator) {
    return (
      <Box textAlign="center" padding="xxl">
        <Spinner size="large" /> {t("main.signingIn")}
      </Box>
    );
  }
  if (auth.error) {
    return (
      <Box padding="xxl">
        <Alert
          type="error"
          header={t("main.signInFailed")}
          action={
            <Button onClick={() => void signIn()}>{t("main.tryAgain")}</Button>
          }
        >
          {auth.error.message}
        </Alert>
      </Box>
    );
  }
  if (!auth.isAuthenticated) {
    void signIn();
    return null;
  }
  const signOut = () => {
    queryClient.clear();
    if (config.signOutUrl) {
      void auth
        .removeUser()
        .then(() => window.location.assign(config.signOutUrl!));
    } else {
      void auth.signoutRedirect({
        post_logout_redirect_uri: `${window.location.origin}/`,
      });
    }
  };
  return (
    <DefaultApiClientProvider apiClient={api} client={queryClient}>
      <App
        apiUrl={config.apiUrl}
        accessToken={() => tokenRef.current}
        onSignOut={signOut}
      />
    </DefaultApiClientProvider>
  );
}

async function start() {
  setColorMode(preferredMode(), false);
  const root = createRoot(document.getElementById("root")!);
  try {
    // The catalogues load beside the configuration: the first render is in the user's language.
    const [config] = await Promise.all([loadRuntimeConfig(), startI18n()]);
    root.render(
      <StrictMode>
        <LanguageProvider>
          <AuthProvider
            authority={config.issuerUrl}
            client_id={config.clientId}
            redirect_uri={`${window.location.origin}/`}
            scope="openid email profile"
            response_type="code"
            automaticSilentRenew
            userStore={
              new WebStorageStateStore({ store: window.sessionStorage })
            }
            onSigninCallback={(user) => {
              const path =
                typeof user?.state === "string" && user.state.startsWith("/")
                  ? user.state
                  : "/";
              window.history.replaceState({}, document.title, path);
              // Tell the router the address changed (it listens to popstate only).
              window.dispatchEvent(new PopStateEvent("popstate"));
            }}
          >
            <BrowserRouter>
              <SignedIn config={config} />
            </BrowserRouter>
          </AuthProvider>
        </LanguageProvider>
      </StrictMode>,
    );
  } catch (e) {
    root.render(
      <Box padding="xxl">
        <Alert type="error" header={i18next.t("main.sextantCouldNotStart")}>
          {e instanceof Error ? e.message : String(e)}
        </Alert>
      </Box>,
    );
  }
}

void start();
