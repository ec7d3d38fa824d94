import Button from "@cloudscape-design/components/button";
import ButtonDropdown from "@cloudscape-design/components/button-dropdown";
import ContentLayout from "@cloudscape-design/components/content-layout";
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
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { AllowanceNotice } from "./AllowanceNotice";
import { Thread } from "./Thread";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useStoredText } from "../../lib/drafts";
import { useFormat } from "../../lib/format";
import { useDocumentTitle } from "../../lib/use-document-title";

// Opened on demand: loaded when first shown.
const ShareModal = lazy(() =>
  import("./ShareModal").then((m) => ({ default: m.ShareModal })),
);
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
  const { t } = useTranslation();
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
          { id: "md", text: t("chatPage.markdownMd") },
          { id: "json", text: t("chatPage.jsonJson") },
          { id: "print", text: t("chatPage.printOrSaveAsPdf") },
        ]}
        onItemClick={({ detail }) =>
          detail.id === "print"
            ? window.print()
            : void save(detail.id as "md" | "json")
        }
      >
        {t("chatPage.export")}
      </ButtonDropdown>
      <ProblemAlert error={error} header={t("chatPage.couldNotExport")} />
    </>
  );
}

/** Chat: the selected conversation's messages (the list is in the side navigation) and the prompt; dev settings for administrators. */
export function ChatPage({ me, apiUrl, accessToken, setTools }: ChatPageProps) {
  const { t } = useTranslation();
  const format = useFormat();
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
    setTools((shown) => ({ content, open: shown?.open ?? false }));
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
    ? (session.data?.title ?? t("chatPage.conversation"))
    : t("chatPage.newChat");
  // The browser's tab and history name the conversation, not "New chat".
  useDocumentTitle(title);
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={
            session.data && sessionId
              ? t("chatPage.withUpdated", {
                  assistant: session.data.assistantName,
                  updated: format.relative(session.data.updatedAt),
                })
              : undefined
          }
          actions={
            <div className="sextant-no-print">
              <SpaceBetween direction="horizontal" size="xs">
                {sessionId && <ExportMenu sessionId={sessionId} />}
                {sessionId && (
                  <Button iconName="share" onClick={() => setSharing(true)}>
                    {t("chatPage.share")}
                  </Button>
                )}
                {me.isAdministrator && (
                  <Button
                    iconName="settings"
                    onClick={() =>
                      setTools((shown) => shown && { ...shown, open: true })
                    }
                  >
                    {hasOverrides
                      ? t("chatPage.devSettingsActive")
                      : t("chatPage.devSettings")}
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
        <Suspense>
          <ShareModal sessionId={sessionId} onClose={() => setSharing(false)} />
        </Suspense>
      )}
      <AllowanceNotice />
      <Thread
        sessionId={sessionId}
        apiUrl={apiUrl}
        accessToken={accessToken}
        overrides={me.isAdministrator && hasOverrides ? overrides : undefined}
        chosenAssistant={chosenAssistant}
        setChosenAssistant={setChosenAssistant}
        isAdministrator={me.isAdministrator}
      />
    </ContentLayout>
  );
}
