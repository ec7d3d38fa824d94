import Alert from "@cloudscape-design/components/alert";
import AppLayout from "@cloudscape-design/components/app-layout";
import Box from "@cloudscape-design/components/box";
import Spinner from "@cloudscape-design/components/spinner";
import TopNavigation from "@cloudscape-design/components/top-navigation";
import { Mode } from "@cloudscape-design/global-styles";
import { useGetMe } from "@sextant/api-typescript-react-query-hooks";
import { DEFAULT_ASSISTANT_ID } from "@sextant/core/well-known-ids";
import { lazy, Suspense, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes } from "react-router-dom";
import { Navigation } from "./components/Navigation";
import { chooseLanguage, LANGUAGES, type Language } from "./i18n";
import { preferredMode, setColorMode } from "./lib/color-mode";
import { ChatPage } from "./pages/chat/ChatPage";

// Administration is loaded on demand: users who never open it never download it.
const DocumentsPage = lazy(() => import("./pages/admin/DocumentsPage"));
const SharedPage = lazy(() => import("./pages/chat/SharedPage"));
const AssistantsPage = lazy(() => import("./pages/admin/AssistantsPage"));
const AssistantPage = lazy(() => import("./pages/admin/AssistantPage"));
const CollectionsPage = lazy(() => import("./pages/admin/CollectionsPage"));
const UsersPage = lazy(() => import("./pages/admin/UsersPage"));
const AuditLogPage = lazy(() => import("./pages/admin/AuditLogPage"));
const UsagePage = lazy(() => import("./pages/admin/UsagePage"));

const loading = (what: string) => (
  <Box textAlign="center" padding="xxl">
    <Spinner size="large" /> {what}
  </Box>
);

/** What the signed-in app needs from its host: the API for streaming, the token, and sign-out. */
export interface AppProps {
  readonly apiUrl: string;
  readonly accessToken: () => string | undefined;
  readonly onSignOut: () => void;
}

/** The signed-in application: who you are from `GET /me`, and what you may see. */
export function App({ apiUrl, accessToken, onSignOut }: AppProps) {
  const { t, i18n } = useTranslation();
  const me = useGetMe();
  const user = me.data;
  const [mode, setMode] = useState(preferredMode);
  const [tools, setTools] = useState<{ content: ReactNode; open: boolean }>();
  const admin = (page: ReactNode) =>
    user?.isAdministrator ? (
      <Suspense fallback={loading(t("app.loading"))}>{page}</Suspense>
    ) : (
      <Navigate to="/" replace />
    );
  const toggleMode = () => {
    const next = mode === Mode.Dark ? Mode.Light : Mode.Dark;
    setColorMode(next);
    setMode(next);
  };
  return (
    <>
      <div id="top-nav">
        <TopNavigation
          identity={{ href: "/", title: "Sextant" }}
          utilities={[
            {
              type: "button",
              iconName: "light-dark",
              ariaLabel:
                mode === Mode.Dark
                  ? t("app.useLightMode")
                  : t("app.useDarkMode"),
              title:
                mode === Mode.Dark ? t("app.lightMode") : t("app.darkMode"),
              onClick: toggleMode,
            },
            ...(user
              ? [
                  {
                    type: "menu-dropdown" as const,
                    text: user.username,
                    description: user.email,
                    iconName: "user-profile" as const,
                    items: [
                      {
                        text: t("app.language"),
                        items: LANGUAGES.map((l) => ({
                          id: `language:${l.code}`,
                          text: l.name,
                          lang: l.code,
                          itemType: "checkbox" as const,
                          checked: l.code === i18n.language,
                        })),
                      },
                      { id: "signout", text: t("app.signOut") },
                    ],
                    onItemClick: ({ detail }: { detail: { id: string } }) =>
                      detail.id === "signout"
                        ? onSignOut()
                        : void chooseLanguage(
                            detail.id.replace("language:", "") as Language,
                          ),
                  },
                ]
              : []),
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        ariaLabels={{
          navigation: t("app.sideNavigation"),
          navigationClose: t("app.closeSideNavigation"),
          navigationToggle: t("app.openSideNavigation"),
          tools: t("app.devSettings"),
          toolsClose: t("app.closeDevSettings"),
          toolsToggle: t("app.openDevSettings"),
          notifications: t("app.notifications"),
        }}
        navigation={
          <Navigation isAdministrator={user?.isAdministrator ?? false} />
        }
        toolsHide={!tools}
        tools={tools?.content}
        toolsOpen={tools?.open ?? false}
        onToolsChange={(e) =>
          setTools((shown) => shown && { ...shown, open: e.detail.open })
        }
        content={
          me.isLoading ? (
            loading(t("app.loadingYourProfile"))
          ) : !user ? (
            <Alert type="error" header={t("app.couldNotLoadYourProfile")}>
              {String(me.error ?? t("app.unknownError"))}
            </Alert>
          ) : (
            <Routes>
              {["/", "/sessions/:sessionId"].map((path) => (
                <Route
                  key={path}
                  path={path}
                  element={
                    <ChatPage
                      me={user}
                      apiUrl={apiUrl}
                      accessToken={accessToken}
                      setTools={setTools}
                    />
                  }
                />
              ))}
              <Route
                path="/shared/:sessionId"
                element={
                  <Suspense fallback={loading(t("app.loading"))}>
                    <SharedPage />
                  </Suspense>
                }
              />
              <Route path="/documents" element={admin(<DocumentsPage />)} />
              <Route
                path="/admin"
                element={<Navigate to="/admin/assistants" replace />}
              />
              {/* The inference configuration is the Default assistant's. */}
              <Route
                path="/admin/configuration"
                element={
                  <Navigate
                    to={`/admin/assistants/${DEFAULT_ASSISTANT_ID}`}
                    replace
                  />
                }
              />
              <Route
                path="/admin/assistants"
                element={admin(<AssistantsPage />)}
              />
              <Route
                path="/admin/assistants/:assistantId"
                element={admin(<AssistantPage />)}
              />
              <Route
                path="/admin/collections"
                element={admin(<CollectionsPage />)}
              />
              <Route path="/admin/users" element={admin(<UsersPage />)} />
              <Route path="/admin/usage" element={admin(<UsagePage />)} />
              <Route
                path="/admin/audit-log"
                element={admin(<AuditLogPage />)}
              />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          )
        }
      />
    </>
  );
}
