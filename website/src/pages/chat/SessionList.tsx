import Box from "@cloudscape-design/components/box";
import ButtonDropdown from "@cloudscape-design/components/button-dropdown";
import Link from "@cloudscape-design/components/link";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import TextFilter from "@cloudscape-design/components/text-filter";
import {
  useListSessions,
  type ChatSession,
} from "@sextant/api-typescript-react-query-hooks";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { ProblemAlert } from "../../components/ProblemAlert";

// Opened rarely: loaded when first needed.
const RenameModal = lazy(() =>
  import("./SessionModals").then((m) => ({ default: m.RenameModal })),
);
const DeleteModal = lazy(() =>
  import("./SessionModals").then((m) => ({ default: m.DeleteModal })),
);

/** The recency groups of the conversation list, newest first. */
type Recency = "today" | "yesterday" | "week" | "month" | "older";

/** Which group a conversation last active at `at` falls in, by the calendar days of `now`. */
export function recencyOf(at: Date, now = new Date()): Recency {
  const startOfDay = (d: Date) =>
    new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  return days <= 0
    ? "today"
    : days === 1
      ? "yesterday"
      : days < 7
        ? "week"
        : days < 30
          ? "month"
          : "older";
}

/**
 * The caller's conversations in the side navigation: searchable by title, grouped by when they
 * were last active (today, yesterday, the last 7 and 30 days, older), each with rename and delete.
 */
export function SessionList({ activeId }: { activeId?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const sessions = useListSessions({ limit: 100 });
  const [search, setSearch] = useState("");
  const [renaming, setRenaming] = useState<ChatSession>();
  const [deleting, setDeleting] = useState<ChatSession>();
  const wanted = search.trim().toLocaleLowerCase();
  const found = (sessions.data?.items ?? []).filter(
    (s) => !wanted || s.title.toLocaleLowerCase().includes(wanted),
  );
  const groups = (["today", "yesterday", "week", "month", "older"] as const)
    .map((recency) => ({
      recency,
      items: found.filter((s) => recencyOf(s.updatedAt) === recency),
    }))
    .filter((g) => g.items.length > 0);
  return (
    <section className="sextant-conversations" aria-labelledby="conversations">
      <SpaceBetween size="s">
        <Box variant="h2" fontSize="heading-s" id="conversations">
          {t("sessionList.conversations")}
        </Box>
        <TextFilter
          filteringText={search}
          onChange={(e) => setSearch(e.detail.filteringText)}
          filteringPlaceholder={t("sessionList.searchConversations")}
          filteringAriaLabel={t("sessionList.searchConversations")}
          filteringClearAriaLabel={t("sessionList.clearSearch")}
        />
        {sessions.isLoading && <Spinner />}
        <ProblemAlert error={sessions.error} />
        {sessions.data?.items.length === 0 && (
          <Box color="text-body-secondary">
            {t("sessionList.noConversationsYet")}
          </Box>
        )}
        {sessions.data && sessions.data.items.length > 0 && !found.length && (
          <Box color="text-body-secondary">
            {t("sessionList.noConversationMatches")}
          </Box>
        )}
        <nav aria-label={t("sessionList.conversations")}>
          {groups.map((g) => (
            <div key={g.recency}>
              <Box
                variant="h3"
                fontSize="body-s"
                color="text-body-secondary"
                padding={{ top: "xs" }}
              >
                {t(`sessionList.recency.${g.recency}`)}
              </Box>
              <ul className="sextant-sessions">
                {g.items.map((s) => (
                  <li
                    key={s.id}
                    aria-current={s.id === activeId ? "page" : undefined}
                  >
                    <Link
                      href={`/sessions/${s.id}`}
                      onFollow={(e) => {
                        e.preventDefault();
                        navigate(`/sessions/${s.id}`);
                      }}
                    >
                      {s.title}
                    </Link>
                    <ButtonDropdown
                      variant="inline-icon"
                      ariaLabel={t("sessionList.actionsFor", {
                        title: s.title,
                      })}
                      items={[
                        { id: "rename", text: t("sessionList.rename") },
                        { id: "delete", text: t("sessionList.delete") },
                      ]}
                      onItemClick={(e) =>
                        e.detail.id === "rename"
                          ? setRenaming(s)
                          : setDeleting(s)
                      }
                    />
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        {sessions.data?.nextCursor && (
          <Box color="text-body-secondary" fontSize="body-s">
            {t("sessionList.the100MostRecentConversations")}
          </Box>
        )}
      </SpaceBetween>
      <Suspense>
        {renaming && (
          <RenameModal
            session={renaming}
            onClose={() => setRenaming(undefined)}
          />
        )}
        {deleting && (
          <DeleteModal
            session={deleting}
            onClose={() => setDeleting(undefined)}
            onDeleted={() => deleting.id === activeId && navigate("/")}
          />
        )}
      </Suspense>
    </section>
  );
}
