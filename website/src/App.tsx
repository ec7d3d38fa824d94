import Alert from "@cloudscape-design/components/alert";
import AppLayout from "@cloudscape-design/components/app-layout";
import Box from "@cloudscape-design/components/box";
import Spinner from "@cloudscape-design/components/spinner";
import TopNavigation from "@cloudscape-design/components/top-navigation";
import { useGetMe } from "@sextant/api-typescript-react-query-hooks";
import { Navigate, Route, Routes } from "react-router-dom";
import { Navigation } from "./components/Navigation";
import { Administration } from "./pages/Administration";
import { Home } from "./pages/Home";

/** The signed-in application: who you are from `GET /me`, and what you may see. */
export function App({ onSignOut }: { onSignOut: () => void }) {
  const me = useGetMe();
  const user = me.data;
  return (
    <>
      <TopNavigation
        identity={{ href: "/", title: "Sextant" }}
        utilities={
          user
            ? [
                {
                  type: "menu-dropdown",
                  text: user.username,
                  description: user.email,
                  iconName: "user-profile",
                  items: [{ id: "signout", text: "Sign out" }],
                  onItemClick: (e) => e.detail.id === "signout" && onSignOut(),
                },
              ]
            : []
        }
      />
      <AppLayout
        toolsHide
        navigation={
          <Navigation isAdministrator={user?.isAdministrator ?? false} />
        }
        content={
          me.isLoading ? (
            <Box textAlign="center" padding="xxl">
              <Spinner size="large" /> Loading your profile…
            </Box>
          ) : !user ? (
            <Alert type="error" header="Could not load your profile">
              {String(me.error ?? "Unknown error")}
            </Alert>
          ) : (
            <Routes>
              <Route path="/" element={<Home me={user} />} />
              <Route
                path="/admin/*"
                element={
                  user.isAdministrator ? (
                    <Administration />
                  ) : (
                    <Navigate to="/" replace />
                  )
                }
              />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          )
        }
      />
    </>
  );
}
