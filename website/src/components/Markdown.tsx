import Link from "@cloudscape-design/components/link";
import { useTranslation } from "react-i18next";
import ReactMarkdown, { type Components } from "react-markdown";

/** `[n]` citations (not already links) become `#source-n` links, which {@link Markdown} renders as buttons. */
export function linkCitations(text: string): string {
  return text.replace(/\[(\d{1,3})\](?!\()/g, "[\\[$1\\]](#source-$1)");
}

/**
 * Whether a link in an answer may stay a link: to this site, or to one of the answer's cited
 * sources. Anything else a document smuggled into the answer (or a model made up) is shown as text.
 */
export function isTrustedHref(
  href: string | undefined,
  citedHrefs: readonly string[],
  origin = window.location.origin,
): boolean {
  if (!href) return false;
  let url: URL;
  try {
    url = new URL(href, origin);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" && url.origin !== origin) return false;
  return url.origin === origin || citedHrefs.includes(url.href);
}

/**
 * An answer's markdown as React elements. Raw HTML in the text is dropped, never rendered, and
 * link targets go through react-markdown's URL filter (no `javascript:`): whatever a document or
 * a model writes, it stays text. `[n]` citations call `onCite(n)`. Other links stay links only
 * when they point at this site or at a cited source (`citedHrefs`); the rest show their text and
 * target as plain text.
 */
export function Markdown({
  text,
  onCite,
  citedHrefs = [],
}: {
  text: string;
  onCite?: (n: number) => void;
  citedHrefs?: readonly string[];
}) {
  const { t } = useTranslation();
  const components: Components = {
    a: ({ href, children }) => {
      const cite = /^#source-(\d+)$/.exec(href ?? "");
      if (cite && onCite) {
        return (
          <Link
            variant="primary"
            href={href}
            ariaLabel={t("markdown.source", { number: cite[1] })}
            onFollow={(e) => {
              e.preventDefault();
              onCite(Number(cite[1]));
            }}
          >
            {children}
          </Link>
        );
      }
      if (!cite && !isTrustedHref(href, citedHrefs)) {
        return (
          <span className="sextant-untrusted-link">
            {children} ({href})
          </span>
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
