/**
 * The origin the desktop renderer is served from: a privileged, standard, secure custom scheme.
 *
 * A standard scheme gives the renderer a real origin (`app://tapedeck`), so `'self'` in the CSP, `location.origin`
 * and relative URLs behave as over http; the asset cache lives at `app://tapedeck/assets?url=…`, the same path as in
 * the web host.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'tapedeck'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** The page the main window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/** The origin of a URL, or null when it has none (about:blank, data:, junk). */
export function getOrigin(url: string): string | null {
  try {
    const parsed = new URL(url)
    // Non-special schemes report origin "null"; build it from the parts instead.
    if (parsed.origin !== 'null') return parsed.origin
    return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`
  } catch {
    return null
  }
}

/** True when `url` is a page of the app itself. */
export function isAppUrl(url: string, appOrigin: string = APP_ORIGIN): boolean {
  return getOrigin(url) === appOrigin
}
