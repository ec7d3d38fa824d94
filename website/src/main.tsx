import "@cloudscape-design/global-styles/index.css";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Spinner from "@cloudscape-design/components/spinner";
import { DefaultApiClientProvider } from "@sextant/api-typescript-react-query-hooks";
import { WebStorageStateStore } from "oidc-client-ts";
import { StrictMode, useMemo } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider, useAuth } from "react-oidc-context";
import { BrowserRouter } from "react-router-dom";
import { createApiClient } from "./api-client";
import { App } from "./App";
import { loadRuntimeConfig, type RuntimeConfig } from "./runtime-config";

/** Signs in with OIDC authorization code + PKCE, then renders the app with an authenticated API client. */
function SignedIn({ config }: { config: RuntimeConfig }) {
  const auth = useAuth();
  const token = auth.user?.access_token;
  const api = useMemo(
    () => createApiClient(config.apiUrl, () => token),
    [config.apiUrl, token],
  );

  if (auth.isLoading || auth.activeNavigator) {
    return (
      <Box textAlign="center" padding="xxl">
        <Spinner size="large" /> Signing in…
      </Box>
    );
  }
  if (auth.error) {
    return (
      <Box padding="xxl">
        <Alert
          type="error"
          header="Sign-in failed"
          action={
            <Button onClick={() => void auth.signinRedirect()}>
              Try again
            </Button>
          }
        >
          {auth.error.message}
        </Alert>
      </Box>
    );
  }
  if (!auth.isAuthenticated) {
    void auth.signinRedirect({ state: window.location.pathname });
    return null;
  }
  const signOut = () => {
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
    <DefaultApiClientProvider apiClient={api}>
      <App onSignOut={signOut} />
    </DefaultApiClientProvider>
  );
}

async function start() {
  const root = createRoot(document.getElementById("root")!);
  try {
    const config = await loadRuntimeConfig();
    root.render(
      <StrictMode>
        <AuthProvider
          authority={config.issuerUrl}
          client_id={config.clientId}
          redirect_uri={`${window.location.origin}/`}
          scope="openid email profile"
          response_type="code"
          userStore={new WebStorageStateStore({ store: window.sessionStorage })}
          onSigninCallback={(user) => {
            const path =
              typeof user?.state === "string" && user.state.startsWith("/")
                ? user.state
                : "/";
            window.history.replaceState({}, document.title, path);
          }}
        >
          <BrowserRouter>
            <SignedIn config={config} />
          </BrowserRouter>
        </AuthProvider>
      </StrictMode>,
    );
  } catch (e) {
    root.render(
      <Box padding="xxl">
        <Alert type="error" header="Sextant could not start">
          {e instanceof Error ? e.message : String(e)}
        </Alert>
      </Box>,
    );
  }
}

void start();
