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
