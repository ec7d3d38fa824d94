import { useState } from "react";

/**
 * Page-by-page navigation over an API list with opaque cursors: remembers the cursors of the
 * pages already seen so "previous" works, and offers "next" while the API returns a `nextCursor`.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [index, setIndex] = useState(0);
  return {
    cursor: cursors[index],
    pageNumber: index + 1,
    pagesKnown: cursors.length,
    next(nextCursor: string | undefined) {
      if (!nextCursor) return;
      setCursors((c) => [...c.slice(0, index + 1), nextCursor]);
      setIndex(index + 1);
    },
    goTo(pageNumber: number) {
      if (pageNumber >= 1 && pageNumber <= cursors.length)
        setIndex(pageNumber - 1);
    },
    reset() {
      setCursors([undefined]);
      setIndex(0);
    },
  };
}
