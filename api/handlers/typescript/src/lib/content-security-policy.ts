/**
 * The website's Content-Security-Policy, the same on AWS (CloudFront's response-headers policy)
 * and locally (`npm start`): no inline script, no `eval`, no wildcard; besides the site itself
 * the page may call and post to the listed origins only (the identity provider's).
 */
export function contentSecurityPolicy(origins: readonly string[]): string {
  const allowed = ["'self'", ...origins].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${allowed}`,
    `form-action ${allowed}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}
