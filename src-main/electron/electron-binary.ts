import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where an Electron binary was found, or why none was. */
export type ElectronBinary = { found: true; path: string } | { found: false; reason: string }

/** The executable inside an Electron dist folder, per platform (as the `electron` package lays it out). */
export function getElectronExecutableName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/**
 * Finds a runnable Electron without downloading one.
 *
 * `ELECTRON_OVERRIDE_DIST_PATH` (a folder holding an unpacked Electron) wins; otherwise the binary the `electron`
 * package installed (its `path.txt` names it inside `dist/`). Never `require('electron')`: when the binary is
 * missing, that tries to download it, which cannot work offline.
 */
export function findElectronBinary(options: {
  electronPackageDir: string
  env?: Record<string, string | undefined>
  platform?: NodeJS.Platform
  exists?: (path: string) => boolean
  readText?: (path: string) => string | null
}): ElectronBinary {
  const env = options.env ?? process.env
  const platform = options.platform ?? process.platform
  const exists = options.exists ?? existsSync
  const readText =
    options.readText ??
    ((path: string) => {
      try {
        return readFileSync(path, 'utf8')
      } catch {
        return null
      }
    })
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  if (override !== undefined && override !== '') {
    const path = join(
      override,
      readText(join(options.electronPackageDir, 'path.txt'))?.trim() ||
        getElectronExecutableName(platform)
    )
    return exists(path)
      ? { found: true, path }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist` }
  }
  const relative = readText(join(options.electronPackageDir, 'path.txt'))?.trim()
  if (relative === undefined || relative === '') {
    return {
      found: false,
      reason: 'node_modules/electron has no binary: it was never downloaded'
    }
  }
  const path = join(options.electronPackageDir, 'dist', relative)
  return exists(path) ? { found: true, path } : { found: false, reason: `${path} is missing` }
}

/** How `npm start` runs the app: the desktop app, or the web host with the reason Electron cannot run. */
export type StartMode =
  { mode: 'electron'; executablePath: string } | { mode: 'web'; reason: string }

/**
 * Decides how `npm start` runs: Electron when a binary exists and (on Linux) there is a display to show it on,
 * otherwise the web host, with the reason.
 */
export function chooseStartMode(
  binary: ElectronBinary,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>
): StartMode {
  if (!binary.found) return { mode: 'web', reason: `no Electron binary (${binary.reason})` }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { mode: 'web', reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' }
  return { mode: 'electron', executablePath: binary.path }
}

/** The one line `npm start` prints before serving the app through the web host instead. */
export function formatWebFallbackLine(reason: string): string {
  return `Electron cannot run here: ${reason}; serving the same app in your browser instead.`
}
