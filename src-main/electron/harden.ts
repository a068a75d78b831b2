import { shell, type Session, type WebContents } from 'electron'
import {
  decideNavigation,
  decideRedirect,
  decideSubframeNavigation,
  decideWindowOpen,
  isPermissionGranted,
  isRequestAllowed
} from './navigation-policy'

/**
 * Session-wide rules: deny permission requests and checks (but the app's clipboard write and full screen), and
 * cancel every request that is not for the app itself, so a replay can never reach the network.
 */
export function hardenSession(session: Session, appOrigin: string, devServerOrigin?: string): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, details.isMainFrame, appOrigin))
  })
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    isPermissionGranted(
      permission,
      details.requestingUrl ?? requestingOrigin,
      details.isMainFrame,
      appOrigin
    )
  )
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isRequestAllowed(details.url, appOrigin, devServerOrigin)
    if (!allowed) console.warn(`blocked a request to ${details.url.slice(0, 200)}`)
    callback({ cancel: !allowed })
  })
}

/**
 * Per-webContents rules, for every webContents ever created: navigation stays in the app (http(s) links clicked in
 * the app open in the system browser), subframes and redirects never leave it, no new windows, no `<webview>`.
 */
export function hardenWebContents(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (event) => {
    applyDecision(decideNavigation(event.url, appOrigin), () => event.preventDefault())
  })
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return // will-navigate above decides for the top frame
    applyDecision(decideSubframeNavigation(event.url, appOrigin), () => event.preventDefault())
  })
  contents.on('will-redirect', (event) => {
    applyDecision(decideRedirect(event.url, appOrigin), () => event.preventDefault())
  })
  contents.setWindowOpenHandler(({ url }) => {
    applyDecision(decideWindowOpen(url), () => undefined)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function applyDecision(decision: ReturnType<typeof decideNavigation>, deny: () => void): void {
  if (decision.action === 'allow') return
  deny()
  if (decision.action === 'open-external') void shell.openExternal(decision.url)
}
