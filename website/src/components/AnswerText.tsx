import { lazy, Suspense } from "react";

const loadMarkdown = () => import("./Markdown");
const Markdown = lazy(loadMarkdown);

/** Starts loading the markdown renderer (about 40 KB gzipped) without waiting for it. */
export const preloadMarkdown = () => void loadMarkdown();

/**
 * Answer text as markdown. The renderer is its own chunk so the first page load stays small;
 * until it arrives the text shows as plain text (never as HTML).
 */
export function AnswerText({
  text,
  onCite,
  citedHrefs,
}: {
  text: string;
  onCite?: (n: number) => void;
  /** Addresses of the answer's cited sources: links to them stay links. */
  citedHrefs?: readonly string[];
}) {
  return (
    <Suspense fallback={<div className="sextant-question">{text}</div>}>
      <Markdown text={text} onCite={onCite} citedHrefs={citedHrefs} />
    </Suspense>
  );
}
