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
