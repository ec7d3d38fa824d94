import ContentLayout from "@cloudscape-design/components/content-layout";
import Header from "@cloudscape-design/components/header";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import { useGetSharedConversation } from "@sextant/api-typescript-react-query-hooks";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { AnswerBubble } from "./AnswerBubble";
import { QuestionBubble } from "./Thread";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/use-document-title";

/** A conversation shared with the reader, read-only (`/shared/{id}`): 404 for anyone it is not shared with. */
export default function SharedPage() {
  const { t } = useTranslation();
  const { sessionId = "" } = useParams();
  const shared = useGetSharedConversation({ sessionId }, { retry: false });
  const title =
    shared.data?.session.title ?? t("sharedPage.sharedConversation");
  useDocumentTitle(title);
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={
            shared.data &&
            t("sharedPage.sharedByReadOnly", { sharedBy: shared.data.sharedBy })
          }
        >
          {title}
        </Header>
      }
    >
      <ProblemAlert
        error={shared.error}
        header={t("sharedPage.thisConversationIsNotShared")}
      />
      {shared.isLoading && <Spinner />}
      {shared.data && (
        <div className="sextant-messages">
          <SpaceBetween size="m">
            {shared.data.messages.map((m) =>
              m.role === "user" ? (
                <QuestionBubble key={m.id} text={m.content} at={m.createdAt} />
              ) : (
                <AnswerBubble
                  key={m.id}
                  sessionId={sessionId}
                  message={m}
                  readOnly
                />
              ),
            )}
          </SpaceBetween>
        </div>
      )}
    </ContentLayout>
  );
}
