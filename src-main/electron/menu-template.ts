import type { MenuItemConstructorOptions } from 'electron'
import { basename } from 'node:path'
import { MAX_RECENT_FILES } from './recent-files'

/** What the menu's commands do; index.ts supplies them. */
export type MenuActions = {
  openExports: () => void
  addSyncFolder: () => void
  openRecent: (path: string) => void
  clearRecent: () => void
  fetchAssets: () => void
  showAbout: () => void
  openDataFolder: () => void
  reportProblem: () => void
}

/** The native menu: File, Edit, View, Window, Help. Dev tools and reload only in development. */
export function buildMenuTemplate(options: {
  actions: MenuActions
  recent: readonly string[]
  isDevelopment: boolean
  isMac: boolean
}): MenuItemConstructorOptions[] {
  const { actions, recent, isDevelopment, isMac } = options
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No recent files', enabled: false }]
      : [
          ...recent.slice(0, MAX_RECENT_FILES).map((path) => ({
            label: escapeMnemonic(basename(path)),
            sublabel: path,
            click: () => actions.openRecent(path)
          })),
          { type: 'separator' as const },
          { label: 'Clear Recent', click: actions.clearRecent }
        ]
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Export…', accelerator: 'CmdOrCtrl+O', click: actions.openExports },
        { label: 'Add Sync Folder…', click: actions.addSyncFolder },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'Fetch Assets for Offline Playback', click: actions.fetchAssets },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(isDevelopment
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' }
            ] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        ...(isMac ? [] : [{ label: 'About Tapedeck', click: actions.showAbout }]),
        { label: 'Open Data Folder', click: actions.openDataFolder },
        { label: 'Report a Problem…', click: actions.reportProblem }
      ]
    }
  ]
  return template
}

/** A file name shown as a menu label: `&` would otherwise mark the next letter as an access key (Windows, Linux). */
function escapeMnemonic(label: string): string {
  return label.replaceAll('&', '&&')
}
