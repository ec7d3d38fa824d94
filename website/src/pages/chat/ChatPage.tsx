import Button from "@cloudscape-design/components/button";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Grid from "@cloudscape-design/components/grid";
import Header from "@cloudscape-design/components/header";
import {
  useGetSession,
  type Caller,
} from "@sextant/api-typescript-react-query-hooks";
import { DEFAULT_ASSISTANT_ID } from "@sextant/core/well-known-ids";
import { lazy, Suspense, useEffect, useMemo, type ReactNode } from "react";
import { useParams } from "react-router-dom";
import { AllowanceNotice } from "./AllowanceNotice";
import { SessionList } from "./SessionList";
import { Thread } from "./Thread";
import { useStoredText } from "../../lib/drafts";

// Administrators only, and it carries the configuration schema: loaded when first shown.
const DevSettings = lazy(() => import("./DevSettings"));

/** What the chat page needs from the app shell. */
export interface ChatPageProps {
  readonly me: Caller;
  readonly apiUrl: string;
  readonly accessToken: () => string | undefined;
  /** Puts the administrators' dev settings in the app's tools panel. */
  readonly setTools: (
    update: (
      t: { content: ReactNode; open: boolean } | undefined,
    ) => { content: ReactNode; open: boolean } | undefined,
  ) => void;
}

/** Chat: the conversations, the selected one's messages and the prompt; dev settings for administrators. */
export function ChatPage({ me, apiUrl, accessToken, setTools }: ChatPageProps) {
  const { sessionId } = useParams();
  const session = useGetSession(
    { sessionId: sessionId ?? "" },
    { enabled: !!sessionId },
  );
  const [storedOverrides, setStoredOverrides] = useStoredText("overrides");
  // The assistant of a new conversation, as chosen in the thread; a conversation keeps its own.
  const [chosenAssistant, setChosenAssistant] = useStoredText("assistant");
  const assistantId = sessionId
    ? session.data?.assistantId
    : chosenAssistant || DEFAULT_ASSISTANT_ID;
  const overrides = useMemo<Record<string, unknown>>(
    () =>
      storedOverrides
        ? (JSON.parse(storedOverrides) as Record<string, unknown>)
        : {},
    [storedOverrides],
  );
  const hasOverrides = Object.keys(overrides).length > 0;

  useEffect(() => {
    if (!me.isAdministrator || !assistantId) return;
    const content = (
      <Suspense>
        <DevSettings
          assistantId={assistantId}
          overrides={overrides}
          setOverrides={(next) =>
            setStoredOverrides(
              Object.keys(next).length ? JSON.stringify(next) : "",
            )
          }
        />
      </Suspense>
    );
    setTools((t) => ({ content, open: t?.open ?? false }));
  }, [
    me.isAdministrator,
    assistantId,
    overrides,
    setStoredOverrides,
    setTools,
  ]);
  useEffect(() => () => setTools(() => undefined), [setTools]);

  const title = sessionId
    ? (session.data?.title ?? "Conversation")
    : "New chat";
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={
            session.data && sessionId
              ? `With ${session.data.assistantName}`
              : undefined
          }
          actions={
            me.isAdministrator && (
              <Button
                iconName="settings"
                onClick={() => setTools((t) => t && { ...t, open: true })}
              >
                Dev settings{hasOverrides ? " (active)" : ""}
              </Button>
            )
          }
        >
          {title}
        </Header>
      }
    >
      <AllowanceNotice />
      <Grid
        gridDefinition={[
          { colspan: { default: 12, m: 3 } },
          { colspan: { default: 12, m: 9 } },
        ]}
      >
        <SessionList activeId={sessionId} />
        <Thread
          sessionId={sessionId}
          apiUrl={apiUrl}
          accessToken={accessToken}
          overrides={me.isAdministrator && hasOverrides ? overrides : undefined}
          chosenAssistant={chosenAssistant}
          setChosenAssistant={setChosenAssistant}
          isAdministrator={me.isAdministrator}
        />
      </Grid>
    </ContentLayout>
  );
}
