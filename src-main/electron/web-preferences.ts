import type { WebPreferences } from 'electron'

/**
 * The main window's web preferences: every item of Electron's security checklist on its safe setting.
 *
 * The page runs sandboxed and context-isolated with no Node, same-origin policy on, no `<webview>`, no insecure
 * content, no experimental features, and no navigating by dropping a file (drops are handled by the preload).
 * DevTools only in development.
 */
export function createSecureWebPreferences(
  preloadPath: string,
  isDevelopment: boolean
): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: isDevelopment
  }
}
