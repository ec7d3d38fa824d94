import Button from "@cloudscape-design/components/button";
import ButtonDropdown from "@cloudscape-design/components/button-dropdown";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Grid from "@cloudscape-design/components/grid";
import Header from "@cloudscape-design/components/header";
import SpaceBetween from "@cloudscape-design/components/space-between";
import {
  DefaultApiClientContext,
  useGetSession,
  type Caller,
} from "@sextant/api-typescript-react-query-hooks";
import { DEFAULT_ASSISTANT_ID } from "@sextant/core/well-known-ids";
import {
  lazy,
  Suspense,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import { useParams } from "react-router-dom";
import { AllowanceNotice } from "./AllowanceNotice";
import { SessionList } from "./SessionList";
import { ShareModal } from "./ShareModal";
import { Thread } from "./Thread";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useStoredText } from "../../lib/drafts";
import { useDocumentTitle } from "../../lib/use-document-title";

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

/**
 * Export a conversation: Markdown (citations as footnotes) or JSON (the stored record) through
 * `GET /sessions/{id}/export`, saved under the name the API gives; or the browser's print dialog,
 * whose stylesheet (app.css) keeps the conversation alone.
 */
function ExportMenu({ sessionId }: { sessionId: string }) {
  const api = useContext(DefaultApiClientContext)!;
  const [error, setError] = useState<unknown>();
  const save = async (format: "md" | "json") => {
    setError(undefined);
    try {
      const { raw } = await api.exportSessionRaw({ sessionId, format });
      // The file name the API gives (Content-Disposition), from the conversation's title.
      const name =
        /filename="([^"]+)"/.exec(
          raw.headers.get("content-disposition") ?? "",
        )?.[1] ?? `conversation.${format}`;
      const url = URL.createObjectURL(await raw.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <ButtonDropdown
        items={[
          { id: "md", text: "Markdown (.md)" },
          { id: "json", text: "JSON (.json)" },
          { id: "print", text: "Print or save as PDF" },
        ]}
        onItemClick={({ detail }) =>
          detail.id === "print"
            ? window.print()
            : void save(detail.id as "md" | "json")
        }
      >
        Export
      </ButtonDropdown>
      <ProblemAlert error={error} header="Could not export" />
    </>
  );
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

  const [sharing, setSharing] = useState(false);
  const title = sessionId
    ? (session.data?.title ?? "Conversation")
    : "New chat";
  // The browser's tab and history name the conversation, not "New chat".
  useDocumentTitle(title);
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
            <div className="sextant-no-print">
              <SpaceBetween direction="horizontal" size="xs">
                {sessionId && <ExportMenu sessionId={sessionId} />}
                {sessionId && (
                  <Button iconName="share" onClick={() => setSharing(true)}>
                    Share
                  </Button>
                )}
                {me.isAdministrator && (
                  <Button
                    iconName="settings"
                    onClick={() => setTools((t) => t && { ...t, open: true })}
                  >
                    Dev settings{hasOverrides ? " (active)" : ""}
                  </Button>
                )}
              </SpaceBetween>
            </div>
          }
        >
          {title}
        </Header>
      }
    >
      {sharing && sessionId && (
        <ShareModal sessionId={sessionId} onClose={() => setSharing(false)} />
      )}
      <AllowanceNotice />
      <Grid
        gridDefinition={[
          { colspan: { default: 12, m: 3 } },
          { colspan: { default: 12, m: 9 } },
        ]}
      >
        <div className="sextant-no-print">
          <SessionList activeId={sessionId} />
        </div>
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
