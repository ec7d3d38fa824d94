import Pagination from "@cloudscape-design/components/pagination";
import type { useCursorPages } from "../../lib/use-cursor-pages";

/** Cloudscape pagination over cursor pages: open-ended while the API has a next page. */
export function CursorPagination({
  pages,
  nextCursor,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor?: string;
}) {
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
        nextPageLabel: "Next page",
        previousPageLabel: "Previous page",
        pageLabel: (n) => `Page ${n}`,
      }}
    />
  );
}
