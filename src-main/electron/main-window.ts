import { BrowserWindow, screen } from 'electron'
import { readFileSync, writeFileSync } from 'node:fs'
import { createSecureWebPreferences } from './web-preferences'
import { fitWindowState, MIN_WINDOW_SIZE, parseWindowState, type WindowState } from './window-state'

export type MainWindowOptions = {
  /** The built preload (CommonJS, runs sandboxed). */
  preloadPath: string
  /** The page to load: `app://tapedeck/index.html`, or the dev server in development. */
  url: string
  /** Where the window's size and place are remembered. */
  stateFile: string
  /** DevTools are available only in development. */
  isDevelopment: boolean
}

/**
 * Creates the one window, where it was last time (if that is still on a screen), with every web preference on its
 * safe setting. It shows once the page has painted, and saves its state when it closes.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = fitWindowState(
    parseWindowState(readTextOrNull(options.stateFile)),
    screen.getAllDisplays().map((display) => display.workArea)
  )
  const window = new BrowserWindow({
    x: saved.x,
    y: saved.y,
    width: saved.width,
    height: saved.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Tapedeck',
    backgroundColor: '#ffffff',
    webPreferences: createSecureWebPreferences(options.preloadPath, options.isDevelopment)
  })
  if (saved.isMaximized) window.maximize()
  if (saved.isFullScreen) window.setFullScreen(true)
  window.once('ready-to-show', () => window.show())

  let lastNormal = window.getNormalBounds()
  const remember = () => {
    if (!window.isMaximized() && !window.isFullScreen() && !window.isMinimized())
      lastNormal = window.getNormalBounds()
  }
  window.on('resize', remember)
  window.on('move', remember)
  window.on('close', () => {
    const state: WindowState = {
      ...lastNormal,
      isMaximized: window.isMaximized(),
      isFullScreen: window.isFullScreen()
    }
    try {
      writeFileSync(options.stateFile, JSON.stringify(state))
    } catch (error) {
      console.error(`could not save the window state: ${String(error)}`)
    }
  })

  void window.loadURL(options.url)
  return window
}

function readTextOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}
