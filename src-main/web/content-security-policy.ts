/**
 * The app's Content-Security-Policy, as directives.
 *
 * Scripts only from the app itself (no inline, no eval). Styles allow inline because the replay iframe (about:blank,
 * which inherits this policy) rebuilds recorded pages with `<style>` elements and style attributes. Images, fonts and
 * media only from the app or data/blob URLs, and `connect-src 'self'`: a replay can never reach the recorded site.
 * Keep in step with the `<meta>` policy in src-renderer/index.html (which cannot carry `frame-ancestors`).
 */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  'media-src': "'self' data: blob:",
  'connect-src': "'self'",
  'frame-src': "'self'",
  'worker-src': "'self' blob:",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'"
}

/** The policy as a header value. */
export function formatCsp(directives: Readonly<Record<string, string>> = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')
}
