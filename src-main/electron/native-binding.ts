import { join } from 'node:path'

/**
 * Where `npm start` puts the Electron-ABI build of better-sqlite3, per Electron version, platform and arch.
 *
 * Kept outside node_modules: node_modules/better-sqlite3 stays built for Node, because the tests run in Node.
 */
export function getElectronNativeDir(
  appRoot: string,
  electronVersion: string,
  platform: string,
  arch: string
): string {
  return join(appRoot, 'out', 'native', `electron-${electronVersion}-${platform}-${arch}`)
}

/** The better-sqlite3 addon inside a native folder. */
export function getElectronNativeBindingPath(nativeDir: string): string {
  return join(nativeDir, 'better_sqlite3.node')
}

/**
 * The `nativeBinding` to open the cache with in the Electron main process, or undefined for better-sqlite3's own.
 *
 * In development, `TAPEDECK_NATIVE_BINDING` wins (set by scripts/start.mjs), else the folder `npm start` prepared,
 * when it exists. A packaged app always uses its own copy (the afterPack hook put the Electron build there) and
 * ignores the variable: an environment variable must not be able to make the installed app load another native
 * library (the same reason the packaged app's fuses ignore `NODE_OPTIONS`).
 */
export function resolveNativeBinding(options: {
  isPackaged: boolean
  appRoot: string
  electronVersion: string
  platform: string
  arch: string
  env: Record<string, string | undefined>
  exists: (path: string) => boolean
}): string | undefined {
  if (options.isPackaged) return undefined
  const fromEnv = options.env.TAPEDECK_NATIVE_BINDING
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  const candidate = getElectronNativeBindingPath(
    getElectronNativeDir(options.appRoot, options.electronVersion, options.platform, options.arch)
  )
  return options.exists(candidate) ? candidate : undefined
}

/**
 * True when opening the cache failed because the native module was built for another runtime (Node's build loaded
 * by Electron, or the reverse): the shell then tells the user to start the app with `npm start`, which prepares the
 * Electron build.
 */
export function isNativeAbiMismatch(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)
}
