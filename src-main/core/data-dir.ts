import { homedir } from 'node:os'
import { join } from 'node:path'

/** The app's name as used for the per-user data folder (Electron's `app.getPath('userData')` uses the same). */
export const APP_NAME = 'Tapedeck'

/**
 * The per-user data folder the desktop app uses, computed the way Electron does.
 *
 * Linux `$XDG_CONFIG_HOME/Tapedeck` (default `~/.config/Tapedeck`), macOS `~/Library/Application Support/Tapedeck`,
 * Windows `%APPDATA%\Tapedeck`.
 */
export function getDefaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

/** The data folder to use: `--data DIR` if given, else `TAPEDECK_DATA`, else the per-user folder. */
export function resolveDataDir(flag: string | undefined, env = process.env): string {
  return flag ?? env.TAPEDECK_DATA ?? getDefaultDataDir(process.platform, env)
}

/** The cache database file inside a data folder. */
export function getCachePath(dataDir: string): string {
  return join(dataDir, 'cache.sqlite')
}
