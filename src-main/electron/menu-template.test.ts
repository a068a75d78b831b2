import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { buildMenuTemplate, type MenuActions } from './menu-template'
import { MAX_RECENT_FILES } from './recent-files'

function createActions() {
  const calls: string[] = []
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, ...args].join(' '))
    }
  const actions: MenuActions = {
    openExports: record('openExports'),
    addSyncFolder: record('addSyncFolder'),
    openRecent: record('openRecent'),
    clearRecent: record('clearRecent'),
    fetchAssets: record('fetchAssets'),
    showAbout: record('showAbout'),
    openDataFolder: record('openDataFolder'),
    reportProblem: record('reportProblem')
  }
  return { actions, calls }
}

/** A menu as text: `label` or `(role)`, submenus indented, separators as `---`. */
function outline(items: readonly MenuItemConstructorOptions[], depth = 0): string[] {
  return items.flatMap((item) => {
    const name = item.type === 'separator' ? '---' : (item.label ?? `(${item.role ?? 'unnamed'})`)
    const line = `${'  '.repeat(depth)}${name}${item.enabled === false ? ' [disabled]' : ''}`
    const submenu = Array.isArray(item.submenu) ? outline(item.submenu, depth + 1) : []
    return [line, ...submenu]
  })
}

function find(
  items: readonly MenuItemConstructorOptions[],
  label: string
): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.label === label) return item
    const inner: MenuItemConstructorOptions | undefined = Array.isArray(item.submenu)
      ? find(item.submenu, label)
      : undefined
    if (inner) return inner
  }
  return undefined
}

function click(items: readonly MenuItemConstructorOptions[], label: string): void {
  const item = find(items, label)
  if (!item?.click) throw new Error(`no clickable item "${label}"`)
  ;(item.click as () => void)()
}

describe('buildMenuTemplate', () => {
  it('has File (open, sync folder, recent, fetch assets), Edit, View, Window and Help on Linux and Windows', () => {
    const { actions } = createActions()
    const template = buildMenuTemplate({
      actions,
      recent: ['/home/me/exports/a.json', '/tmp/b&c.csv'],
      isDevelopment: false,
      isMac: false
    })
    expect(outline(template)).toEqual([
      'File',
      '  Open Export…',
      '  Add Sync Folder…',
      '  Open Recent',
      '    a.json',
      '    b&&c.csv',
      '    ---',
      '    Clear Recent',
      '  ---',
      '  Fetch Assets for Offline Playback',
      '  ---',
      '  (quit)',
      '(editMenu)',
      'View',
      '  (resetZoom)',
      '  (zoomIn)',
      '  (zoomOut)',
      '  ---',
      '  (togglefullscreen)',
      '(windowMenu)',
      '(help)',
      '  About Tapedeck',
      '  Open Data Folder',
      '  Report a Problem…'
    ])
    expect(find(template, 'Open Export…')?.accelerator).toBe('CmdOrCtrl+O')
    expect(find(template, 'a.json')?.sublabel).toBe('/home/me/exports/a.json')
  })

  it('offers reload and dev tools only in development', () => {
    const { actions } = createActions()
    const roles = (isDevelopment: boolean) =>
      outline(buildMenuTemplate({ actions, recent: [], isDevelopment, isMac: false }))
    expect(roles(false).join('\n')).not.toMatch(/toggleDevTools|reload/i)
    expect(roles(true)).toEqual(
      expect.arrayContaining(['  (reload)', '  (forceReload)', '  (toggleDevTools)'])
    )
  })

  it('follows macOS conventions: the app menu holds About and Quit, File ends with Close', () => {
    const { actions } = createActions()
    const lines = outline(
      buildMenuTemplate({ actions, recent: [], isDevelopment: false, isMac: true })
    )
    expect(lines[0]).toBe('(appMenu)')
    expect(lines).toContain('  (close)')
    expect(lines).not.toContain('  (quit)')
    expect(lines).not.toContain('  About Tapedeck')
    expect(lines).toContain('    No recent files [disabled]')
  })

  it('wires each item to its action, recent files with their full path', () => {
    const { actions, calls } = createActions()
    const template = buildMenuTemplate({
      actions,
      recent: ['/data/one.jsonl'],
      isDevelopment: false,
      isMac: false
    })
    for (const label of [
      'Open Export…',
      'Add Sync Folder…',
      'one.jsonl',
      'Clear Recent',
      'Fetch Assets for Offline Playback',
      'About Tapedeck',
      'Open Data Folder',
      'Report a Problem…'
    ])
      click(template, label)
    expect(calls).toEqual([
      'openExports',
      'addSyncFolder',
      'openRecent /data/one.jsonl',
      'clearRecent',
      'fetchAssets',
      'showAbout',
      'openDataFolder',
      'reportProblem'
    ])
  })

  it('lists at most the ten newest recent files', () => {
    const { actions } = createActions()
    const recent = Array.from({ length: 15 }, (_, i) => `/r/${i}.json`)
    const openRecent = find(
      buildMenuTemplate({ actions, recent, isDevelopment: false, isMac: false }),
      'Open Recent'
    )
    const labels = outline(openRecent?.submenu as MenuItemConstructorOptions[])
    expect(labels.filter((l) => l.endsWith('.json'))).toHaveLength(MAX_RECENT_FILES)
    expect(labels[0]).toBe('0.json')
  })
})
