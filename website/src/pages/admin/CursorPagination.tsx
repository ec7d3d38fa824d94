import Pagination from "@cloudscape-design/components/pagination";
import { useTranslation } from "react-i18next";
import type { useCursorPages } from "../../lib/use-cursor-pages";

/** Cloudscape pagination over cursor pages: open-ended while the API has a next page. */
export function CursorPagination({
  pages,
  nextCursor,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor?: string;
}) {
  const { t } = useTranslation();
  return (
    <Pagination
      currentPageIndex={pages.pageNumber}
      pagesCount={Math.max(
        pages.pagesKnown,
        pages.pageNumber + (nextCursor ? 1 : 0),
      )}
      openEnd={!!nextCursor}
      onChange={(e) =>
        e.detail.currentPageIndex === pages.pageNumber + 1 &&
        e.detail.currentPageIndex > pages.pagesKnown
          ? pages.next(nextCursor)
          : pages.goTo(e.detail.currentPageIndex)
      }
      ariaLabels={{
        nextPageLabel: t("cursorPagination.nextPage"),
        previousPageLabel: t("cursorPagination.previousPage"),
        pageLabel: (n) => t("cursorPagination.page", { n }),
      }}
    />
  );
}
