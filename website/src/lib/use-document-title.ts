import { useEffect } from "react";

/** Names the browser's tab (and history entry) after what the page shows: `<title> · Sextant`. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Sextant`;
  }, [title]);
}
