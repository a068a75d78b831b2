import { APP_ORIGIN, isAppUrl } from './app-origin'

/** What to do with a navigation or a new-window request from a renderer. */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'deny' }
  /** Deny it in the app and hand the URL to the system browser. */
  | { action: 'open-external'; url: string }

/**
 * `will-navigate`: the window may only move within the app. An http(s) link opens in the system browser; anything
 * else (file:, javascript:, data:, other schemes, a dropped file) is refused.
 */
export function decideNavigation(
  targetUrl: string,
  appOrigin: string = APP_ORIGIN
): NavigationDecision {
  if (isAppUrl(targetUrl, appOrigin)) return { action: 'allow' }
  return externalOrDeny(targetUrl)
}

/**
 * `will-redirect`: a redirect stays within the app or is refused. Never handed to the system browser: a redirect is
 * not something the user clicked.
 */
export function decideRedirect(
  targetUrl: string,
  appOrigin: string = APP_ORIGIN
): NavigationDecision {
  return isAppUrl(targetUrl, appOrigin) ? { action: 'allow' } : { action: 'deny' }
}

/**
 * `will-frame-navigate` for a subframe (the replay iframe and the recorded page's own frames): only the app's own
 * pages and the empty documents a replay is built in. Never handed to the system browser: subframes show recorded,
 * untrusted content (Electron's checklist, item 15). Main-frame navigations are `decideNavigation`'s.
 */
export function decideSubframeNavigation(
  targetUrl: string,
  appOrigin: string = APP_ORIGIN
): NavigationDecision {
  if (isAppUrl(targetUrl, appOrigin)) return { action: 'allow' }
  return targetUrl === 'about:blank' || targetUrl === 'about:srcdoc'
    ? { action: 'allow' }
    : { action: 'deny' }
}

/** `setWindowOpenHandler`: the app never opens a second window; http(s) links go to the system browser. */
export function decideWindowOpen(targetUrl: string): NavigationDecision {
  return externalOrDeny(targetUrl)
}

function externalOrDeny(targetUrl: string): NavigationDecision {
  let parsed: URL
  try {
    parsed = new URL(targetUrl)
  } catch {
    return { action: 'deny' }
  }
  if (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    parsed.username === '' &&
    parsed.password === ''
  ) {
    return { action: 'open-external', url: parsed.href }
  }
  return { action: 'deny' }
}

/**
 * Whether the app's session may make a request at all (Electron `webRequest.onBeforeRequest`).
 *
 * Only the app's own scheme, in-memory URLs and DevTools: every http(s), ws(s) or file request is cancelled, so a
 * replayed page cannot reach the recorded site (or anything else) even if the CSP were bypassed. In development the
 * electron-vite dev server's origin is allowed too.
 */
export function isRequestAllowed(
  url: string,
  appOrigin: string = APP_ORIGIN,
  devServerOrigin?: string
): boolean {
  if (isAppUrl(url, appOrigin)) return true
  if (devServerOrigin !== undefined && isAppUrl(url, devServerOrigin)) return true
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
  return scheme === 'data' || scheme === 'blob' || scheme === 'devtools' || scheme === 'about'
}

/** Permissions the app's own page may use; every other request, and every request from anything else, is denied. */
const GRANTED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'fullscreen'])

/**
 * Electron `setPermissionRequestHandler` / `setPermissionCheckHandler`: deny by default.
 *
 * The app's top frame may write to the clipboard ("copy link at current time") and go full screen (the player's
 * `f` key). Camera, microphone, location, notifications, MIDI, HID, serial, USB… are always denied.
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string,
  isMainFrame: boolean,
  appOrigin: string = APP_ORIGIN
): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isMainFrame && isAppUrl(requestingUrl, appOrigin)
}
