import Link from "@cloudscape-design/components/link";
import ReactMarkdown, { type Components } from "react-markdown";

/** `[n]` citations (not already links) become `#source-n` links, which {@link Markdown} renders as buttons. */
export function linkCitations(text: string): string {
  return text.replace(/\[(\d{1,3})\](?!\()/g, "[\\[$1\\]](#source-$1)");
}

/**
 * An answer's markdown as React elements. Raw HTML in the text is dropped, never rendered, and
 * link targets go through react-markdown's URL filter (no `javascript:`): whatever a document or
 * a model writes, it stays text. `[n]` citations call `onCite(n)`.
 */
export function Markdown({
  text,
  onCite,
}: {
  text: string;
  onCite?: (n: number) => void;
}) {
  const components: Components = {
    a: ({ href, children }) => {
      const cite = /^#source-(\d+)$/.exec(href ?? "");
      if (cite && onCite) {
        return (
          <Link
            variant="primary"
            href={href}
            ariaLabel={`Source ${cite[1]}`}
            onFollow={(e) => {
              e.preventDefault();
              onCite(Number(cite[1]));
            }}
          >
            {children}
          </Link>
        );
      }
      return (
        <Link href={href} external>
          {children}
        </Link>
      );
    },
    img: ({ alt }) => <>{alt}</>,
  };
  return (
    <div className="sextant-markdown">
      <ReactMarkdown skipHtml components={components}>
        {linkCitations(text)}
      </ReactMarkdown>
    </div>
  );
}

export default Markdown;
