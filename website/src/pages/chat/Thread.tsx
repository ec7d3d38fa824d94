import Avatar from "@cloudscape-design/chat-components/avatar";
import ChatBubble from "@cloudscape-design/chat-components/chat-bubble";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import FormField from "@cloudscape-design/components/form-field";
import PromptInput from "@cloudscape-design/components/prompt-input";
import Select from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import {
  useCreateSession,
  useListAssistants,
  useListMessages,
  type ChatMessage,
  type ChatMessagePage,
} from "@sextant/api-typescript-react-query-hooks";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { AnswerBubble, assistantAvatar } from "./AnswerBubble";
import { AnswerText, preloadMarkdown } from "../../components/AnswerText";
import { toProblem, type ApiProblem } from "../../lib/api-error";
import { useStoredText } from "../../lib/drafts";
import { useFormat } from "../../lib/format";
import { streamAnswer } from "../../lib/stream-answer";
import { checkSession, queryClient } from "../../query-client";

/** An answer being written: the question, the tokens so far, and how it ended if it did not finish. */
interface Pending {
  readonly sessionId: string;
  readonly question: string;
  readonly text: string;
  readonly stopped?: boolean;
  readonly problem?: ApiProblem;
}

const MESSAGES_PAGE = 100;

export function QuestionBubble({ text, at }: { text: string; at?: Date }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ChatBubble
      type="outgoing"
      avatar={
        <Avatar
          ariaLabel={t("thread.you")}
          tooltipText={t("thread.you")}
          iconName="user-profile"
        />
      }
      ariaLabel={
        at ? t("thread.youAt", { time: format.time(at) }) : t("thread.you")
      }
    >
      <div className="sextant-question">{text}</div>
    </ChatBubble>
  );
}

/** What the thread needs from the page. */
export interface ThreadProps {
  readonly sessionId?: string;
  readonly apiUrl: string;
  readonly accessToken: () => string | undefined;
  /** The assistant chosen for a new conversation (an id; empty: Default). */
  readonly chosenAssistant: string;
  readonly setChosenAssistant: (id: string) => void;
  /** An administrator's dev settings for this session's next messages. */
  readonly overrides?: Record<string, unknown>;
  /** Administrators may turn an answer rated down into a question of an evaluation set. */
  readonly isAdministrator?: boolean;
}

/**
 * A session's messages and the prompt. Questions stream their answer token by token; "Stop"
 * aborts it (nothing is stored for a stopped answer). A failed question goes back into the
 * prompt, so nothing typed is lost.
 */
export function Thread({
  sessionId,
  apiUrl,
  accessToken,
  overrides,
  chosenAssistant,
  setChosenAssistant,
  isAdministrator,
}: ThreadProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const messages = useListMessages(
    { sessionId: sessionId ?? "", limit: MESSAGES_PAGE },
    { enabled: !!sessionId },
  );
  const createSession = useCreateSession();
  // A new conversation's assistant: one the user may use (Default, listed first, unless chosen).
  const assistants = useListAssistants({ enabled: !sessionId });
  const usable = assistants.data?.items ?? [];
  const assistant =
    usable.find((a) => a.id === chosenAssistant) ?? usable.at(0);
  const [draft, setDraft] = useStoredText(`draft.${sessionId ?? "new"}`);
  // A new chat's first question may fail after the address changed to the new session: give it
  // back to that session's draft, the one on screen.
  const restoreDraft = useRef(setDraft);
  restoreDraft.current = setDraft;
  // One key per question: sending the same question again after a failure retries it, and gets
  // the stored answer if the failure was only the response's.
  const attempt = useRef<{
    sessionId: string;
    question: string;
    key: string;
  }>();
  const [pending, setPending] = useState<Pending>();
  // What a screen reader hears, politely: that an answer is coming, then the whole answer (or why
  // there is none), never token by token.
  const [announcement, setAnnouncement] = useState("");
  const abort = useRef<AbortController>();
  const end = useRef<HTMLDivElement>(null);
  const streaming = !!pending && !pending.stopped && !pending.problem;

  useEffect(preloadMarkdown, []);
  useEffect(() => {
    end.current?.scrollIntoView({ block: "end" });
  }, [messages.data?.items.length, pending?.text, pending?.question]);

  const ask = async () => {
    const question = draft.trim();
    if (!question || streaming) return;
    let id = sessionId;
    setDraft("");
    try {
      if (!id) {
        id = (
          await createSession.mutateAsync({
            newSession: assistant ? { assistantId: assistant.id } : {},
          })
        ).id;
        navigate(`/sessions/${id}`);
        void queryClient.invalidateQueries(["listSessions"]);
      }
    } catch (e) {
      restoreDraft.current(question);
      setPending({
        sessionId: "",
        question,
        text: "",
        problem: await toProblem(e),
      });
      return;
    }
    if (
      attempt.current?.sessionId !== id ||
      attempt.current.question !== question
    )
      attempt.current = { sessionId: id, question, key: crypto.randomUUID() };
    const idempotencyKey = attempt.current.key;
    const controller = new AbortController();
    abort.current = controller;
    setPending({ sessionId: id, question, text: "" });
    setAnnouncement(t("thread.announceAnswering"));
    try {
      for await (const event of streamAnswer({
        apiUrl,
        accessToken: accessToken(),
        sessionId: id,
        question,
        overrides,
        idempotencyKey,
        signal: controller.signal,
      })) {
        if (event.type === "token") {
          setPending((p) => p && { ...p, text: p.text + event.text });
        } else if (event.type === "done") {
          // A fetch of this list that started before the answer was stored must not overwrite it.
          const key = ["listMessages", { sessionId: id, limit: MESSAGES_PAGE }];
          await queryClient.cancelQueries(key);
          // A retried question's stored pair may be on screen already (a refetch showed it).
          const stored = [event.question.id, event.answer.id];
          queryClient.setQueryData<ChatMessagePage>(key, (page) => ({
            ...page,
            items: [
              ...(page?.items ?? []).filter((m) => !stored.includes(m.id)),
              event.question,
              event.answer,
            ],
          }));
          void queryClient.invalidateQueries(["listSessions"]);
          // The first answer names the conversation: the page's header and tab follow.
          void queryClient.invalidateQueries(["getSession"]);
          void queryClient.invalidateQueries(["getAllowance"]);
          attempt.current = undefined;
          setPending(undefined);
          setAnnouncement(
            t("thread.announceAnswer", {
              answer: event.answer.content.replace(/\[\d+\]/g, ""),
            }),
          );
        } else {
          restoreDraft.current(question);
          setAnnouncement(
            t("thread.announceFailed", { message: event.message }),
          );
          setPending(
            (p) =>
              p && {
                ...p,
                problem: {
                  code: event.code,
                  message: event.message,
                  fields: [],
                },
              },
          );
        }
      }
    } catch (e) {
      if (controller.signal.aborted) {
        setPending((p) => p && { ...p, stopped: true });
        setAnnouncement(t("thread.announceStopped"));
      } else {
        checkSession(e);
        restoreDraft.current(question);
        const problem = await toProblem(e);
        setAnnouncement(
          t("thread.announceFailed", { message: problem.message }),
        );
        setPending((p) => p && { ...p, problem });
      }
    } finally {
      abort.current = undefined;
    }
  };

  const items: ChatMessage[] = sessionId ? (messages.data?.items ?? []) : [];
  const shownPending =
    pending && (pending.sessionId === (sessionId ?? "") || !pending.sessionId)
      ? pending
      : undefined;
  return (
    <div className="sextant-thread">
      <div className="sextant-visually-hidden" role="status">
        {announcement}
      </div>
      <div className="sextant-messages" aria-busy={streaming}>
        {messages.isLoading && sessionId && (
          <Box textAlign="center" padding="l">
            <Spinner /> {t("thread.loadingMessages")}
          </Box>
        )}
        {messages.isError && (
          <Alert type="error" header={t("thread.couldNotLoadThisConversation")}>
            {t("thread.itMayHaveBeenDeleted")}
          </Alert>
        )}
        {!sessionId && !shownPending && (
          <Box
            textAlign="center"
            color="text-body-secondary"
            padding={{ vertical: "xxxl" }}
          >
            <Box variant="h2" tagOverride="p">
              {t("thread.askAboutYourDocuments")}
            </Box>
            {t("thread.answersCiteThePassagesThey")}
            {usable.length > 1 && assistant && (
              <Box margin={{ top: "l" }} textAlign="left">
                <FormField
                  label={t("thread.assistant")}
                  description={assistant.description}
                >
                  <Select
                    selectedOption={{
                      value: assistant.id,
                      label: assistant.name,
                    }}
                    options={usable.map((a) => ({
                      value: a.id,
                      label: a.name,
                      description: a.description,
                    }))}
                    onChange={(e) =>
                      setChosenAssistant(e.detail.selectedOption.value ?? "")
                    }
                  />
                </FormField>
              </Box>
            )}
          </Box>
        )}
        <SpaceBetween size="m">
          {items.map((m, i) =>
            m.role === "user" ? (
              <QuestionBubble key={m.id} text={m.content} at={m.createdAt} />
            ) : (
              <AnswerBubble
                key={m.id}
                sessionId={sessionId!}
                message={m}
                question={
                  isAdministrator && items[i - 1]?.role === "user"
                    ? items[i - 1].content
                    : undefined
                }
              />
            ),
          )}
          {shownPending && (
            <>
              <QuestionBubble text={shownPending.question} />
              {shownPending.problem ? (
                <Alert
                  type="error"
                  header={t("thread.theQuestionWasNotAnswered")}
                  data-testid="answer-error"
                >
                  {shownPending.problem.message}{" "}
                  {t("thread.yourQuestionIsBackIn")}
                </Alert>
              ) : (
                <ChatBubble
                  type="incoming"
                  avatar={assistantAvatar(!shownPending.stopped)}
                  ariaLabel={t("thread.sextantIsAnswering")}
                  showLoadingBar={!shownPending.stopped}
                >
                  {shownPending.text ? (
                    <AnswerText text={shownPending.text} />
                  ) : (
                    !shownPending.stopped && (
                      <Box color="text-status-inactive">
                        {t("thread.searchingYourDocuments")}
                      </Box>
                    )
                  )}
                  {shownPending.stopped && (
                    <StatusIndicator type="stopped">
                      {t("thread.stoppedThisAnswerWasNot")}
                    </StatusIndicator>
                  )}
                </ChatBubble>
              )}
            </>
          )}
        </SpaceBetween>
        <div ref={end} />
      </div>
      <div className="sextant-prompt">
        <PromptInput
          value={draft}
          onChange={(e) => setDraft(e.detail.value)}
          onAction={() => (streaming ? abort.current?.abort() : void ask())}
          actionButtonIconName={streaming ? "stop-circle" : "send"}
          actionButtonAriaLabel={
            streaming ? t("thread.stopAnswering") : t("thread.send")
          }
          disableActionButton={!streaming && !draft.trim()}
          ariaLabel={t("thread.yourQuestion")}
          placeholder={t("thread.askAQuestionAboutYour")}
          minRows={1}
          maxRows={8}
        />
      </div>
    </div>
  );
}
