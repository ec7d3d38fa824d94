import Avatar from "@cloudscape-design/chat-components/avatar";
import ChatBubble from "@cloudscape-design/chat-components/chat-bubble";
import Badge from "@cloudscape-design/components/badge";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ButtonGroup from "@cloudscape-design/components/button-group";
import ExpandableSection from "@cloudscape-design/components/expandable-section";
import FormField from "@cloudscape-design/components/form-field";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Textarea from "@cloudscape-design/components/textarea";
import {
  DefaultApiClientContext,
  usePutFeedback,
  type ChatMessage,
  type Citation,
  type Rating,
} from "@sextant/api-typescript-react-query-hooks";
import { lazy, Suspense, useContext, useState } from "react";
import { useTranslation } from "react-i18next";
import { AnswerText } from "../../components/AnswerText";
import { toProblem } from "../../lib/api-error";
import { useFormat } from "../../lib/format";

// Administrators only: loaded when one opens it, not with every chat.
const AddToEvaluationSet = lazy(() =>
  import("./AddToEvaluationSet").then((m) => ({
    default: m.AddToEvaluationSet,
  })),
);

const ms = (n: number) =>
  n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;

/** "classify 1 ms · condense 0 ms · …", the hover text of an answer's latency. */
export function latencyDetail(
  latency: NonNullable<ChatMessage["latencyMs"]>,
): string {
  return (["classify", "condense", "retrieve", "rerank", "answer"] as const)
    .flatMap((step) =>
      latency[step] === undefined ? [] : [`${step} ${ms(latency[step])}`],
    )
    .join(" · ");
}

/** The last segment of a source (`state-of-the-union/1982_ronald_reagan_r.txt`: the file name; the full source is its hover text). */
export const fileName = (source: string): string =>
  source.split(/[\\/]/).filter(Boolean).pop() ?? source;

/**
 * Opens a document's original file: a short-lived link (`GET /documents/{id}/download`), for
 * readers of its collection; a PDF opens at the cited page.
 */
function OriginalLink({ citation }: { citation: Citation }) {
  const { t } = useTranslation();
  const api = useContext(DefaultApiClientContext)!;
  const [problem, setProblem] = useState<string>();
  const [loading, setLoading] = useState(false);
  const open = async () => {
    setLoading(true);
    setProblem(undefined);
    try {
      const { url } = await api.downloadDocument({
        documentId: citation.documentId,
      });
      const link = document.createElement("a");
      link.href = citation.page ? `${url}#page=${citation.page}` : url;
      link.rel = "noopener";
      link.click();
    } catch (e) {
      setProblem((await toProblem(e)).message);
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <Button
        variant="inline-link"
        iconName="download"
        loading={loading}
        ariaLabel={t("answerBubble.downloadTheOriginalOf", {
          title: citation.title,
        })}
        onClick={() => void open()}
      >
        {t("answerBubble.original")}
      </Button>
      {problem && <StatusIndicator type="error">{problem}</StatusIndicator>}
    </>
  );
}

/** The assistant's avatar. */
export const assistantAvatar = (loading = false) => (
  <Avatar
    color="gen-ai"
    iconName="gen-ai"
    ariaLabel="Sextant"
    tooltipText="Sextant"
    loading={loading}
  />
);

/** The numbered passages an answer cites; `[n]` in the answer opens source n. */
function Sources({
  messageId,
  sources,
  open,
  setOpen,
}: {
  messageId: string;
  sources: readonly Citation[];
  open: ReadonlySet<number>;
  setOpen: (n: number, expanded: boolean) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <SpaceBetween size="xxs">
      <Box variant="h4" fontSize="body-m">
        {t("answerBubble.sources")}
      </Box>
      {sources.map((s) => (
        <div key={s.number} id={`source-${messageId}-${s.number}`}>
          <ExpandableSection
            variant="footer"
            headerText={`[${s.number}] ${s.title}${s.location ? ` · ${s.location}` : ""}`}
            expanded={open.has(s.number)}
            onChange={(e) => setOpen(s.number, e.detail.expanded)}
          >
            <SpaceBetween size="xs">
              <Box variant="small">
                {s.withheld ? (
                  t("answerBubble.youMayNotReadThis")
                ) : (
                  <>
                    <span title={s.source}>{fileName(s.source)}</span>{" "}
                    {t("answerBubble.score", {
                      score: format.score(s.score),
                    })}{" "}
                    · <OriginalLink citation={s} />
                  </>
                )}
              </Box>
              <div className="sextant-passage">{s.text}</div>
            </SpaceBetween>
          </ExpandableSection>
        </div>
      ))}
    </SpaceBetween>
  );
}

/** Thumbs up/down with an optional comment, saved with `PUT .../feedback`. */
function useFeedback(sessionId: string, message: ChatMessage) {
  const put = usePutFeedback();
  const [rating, setRating] = useState<Rating | undefined>(
    message.feedback?.rating,
  );
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState("");
  const [sent, setSent] = useState(false);
  const rate = (next: Rating) => {
    setRating(next);
    setCommenting(true);
    setSent(false);
    put.mutate({
      sessionId,
      messageId: message.id,
      feedback: { rating: next },
    });
  };
  const sendComment = () => {
    if (!rating) return;
    put.mutate(
      { sessionId, messageId: message.id, feedback: { rating, comment } },
      { onSuccess: () => (setCommenting(false), setSent(true)) },
    );
  };
  return {
    rating,
    rate,
    commenting,
    comment,
    setComment,
    sendComment,
    sent,
    put,
  };
}

/** One answer: markdown with numbered citations, its sources, feedback, copy, and latency on hover. */
export function AnswerBubble({
  sessionId,
  message,
  question,
  readOnly = false,
}: {
  sessionId: string;
  message: ChatMessage;
  /** The question this answers, for an administrator to add it to an evaluation set once rated down. */
  question?: string;
  /** A conversation shared with the reader: no feedback, only copying. */
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [addingToSet, setAddingToSet] = useState(false);
  const [open, setOpenState] = useState<ReadonlySet<number>>(new Set());
  const setOpen = (n: number, expanded: boolean) =>
    setOpenState((prev) => {
      const next = new Set(prev);
      if (expanded) next.add(n);
      else next.delete(n);
      return next;
    });
  const cite = (n: number) => {
    setOpen(n, true);
    document
      .getElementById(`source-${message.id}-${n}`)
      ?.scrollIntoView({ block: "nearest" });
  };
  const feedback = useFeedback(sessionId, message);
  const latency = message.latencyMs;
  return (
    <ChatBubble
      type="incoming"
      avatar={assistantAvatar()}
      ariaLabel={t("answerBubble.sextantAt", {
        time: format.time(message.createdAt),
      })}
      actions={
        <SpaceBetween direction="horizontal" size="xs" alignItems="center">
          <ButtonGroup
            variant="icon"
            ariaLabel={t("answerBubble.answerActions")}
            onItemClick={(e) => {
              if (e.detail.id === "up" || e.detail.id === "down")
                feedback.rate(e.detail.id);
            }}
            items={[
              ...(readOnly
                ? []
                : ([
                    {
                      type: "icon-toggle-button",
                      id: "up",
                      iconName: "thumbs-up",
                      pressedIconName: "thumbs-up-filled",
                      text: t("answerBubble.helpful"),
                      pressed: feedback.rating === "up",
                    },
                    {
                      type: "icon-toggle-button",
                      id: "down",
                      iconName: "thumbs-down",
                      pressedIconName: "thumbs-down-filled",
                      text: t("answerBubble.notHelpful"),
                      pressed: feedback.rating === "down",
                    },
                  ] as const)),
              {
                type: "icon-copy-to-clipboard",
                id: "copy",
                text: t("answerBubble.copyAnswer"),
                textToCopy: message.content,
                copySuccessText: t("answerBubble.answerCopied"),
                copyErrorText: t("answerBubble.couldNotCopyTheAnswer"),
              },
            ]}
          />
          {latency && (
            <span
              className="sextant-latency"
              title={latencyDetail(latency)}
              data-testid="latency"
            >
              <Box variant="small" color="text-status-inactive">
                {ms(latency.total)}
              </Box>
            </span>
          )}
          {message.extractive && (
            <Badge color="grey">
              {t("answerBubble.extractiveQuotedFromTheSources")}
            </Badge>
          )}
        </SpaceBetween>
      }
    >
      <SpaceBetween size="s">
        <AnswerText
          text={message.content}
          onCite={cite}
          citedHrefs={message.sources.map((s) => s.source)}
        />
        {message.sources.length > 0 && (
          <Sources
            messageId={message.id}
            sources={message.sources}
            open={open}
            setOpen={setOpen}
          />
        )}
        {!readOnly && feedback.commenting && (
          <FormField label={t("answerBubble.tellUsMoreOptional")} stretch>
            <SpaceBetween size="xs">
              <Textarea
                value={feedback.comment}
                onChange={(e) =>
                  feedback.setComment(e.detail.value.slice(0, 2000))
                }
                ariaLabel={t("answerBubble.feedbackComment")}
                rows={2}
              />
              <Button
                onClick={feedback.sendComment}
                loading={feedback.put.isLoading}
              >
                {t("answerBubble.sendFeedback")}
              </Button>
            </SpaceBetween>
          </FormField>
        )}
        {feedback.sent && (
          <StatusIndicator type="success">
            {t("answerBubble.thanksForTheFeedback")}
          </StatusIndicator>
        )}
        {feedback.put.isError && (
          <StatusIndicator type="error">
            {t("answerBubble.feedbackWasNotSavedTry")}
          </StatusIndicator>
        )}
        {question !== undefined && feedback.rating === "down" && (
          <Button
            variant="inline-link"
            iconName="add-plus"
            onClick={() => setAddingToSet(true)}
          >
            {t("answerBubble.addToAnEvaluationSet")}
          </Button>
        )}
        {addingToSet && question !== undefined && (
          <Suspense fallback={null}>
            <AddToEvaluationSet
              question={question}
              onClose={() => setAddingToSet(false)}
            />
          </Suspense>
        )}
      </SpaceBetween>
    </ChatBubble>
  );
}
