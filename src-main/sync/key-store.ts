import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where PostHog API keys are kept, one per source.
 *
 * The CLI and the web host use `createFileKeyStore` (a 0600 file per source in the data folder); the desktop app
 * implements this with Electron's `safeStorage` so the key is encrypted with the OS keychain. Keys are never
 * logged, never sent to the renderer, and never written to the cache database.
 */
export type KeyStore = {
  getKey: (sourceId: number) => string | null
  setKey: (sourceId: number, key: string) => void
  deleteKey: (sourceId: number) => void
}

/** The environment variable the CLI reads a PostHog personal API key from. */
export const POSTHOG_KEY_ENV = 'TAPEDECK_POSTHOG_KEY'

/** The folder (mode 0700) holding per-source key files. */
export function getKeysDir(dataDir: string): string {
  return join(dataDir, 'keys')
}

/**
 * A key store of plain files readable only by the user: `<dataDir>/keys/source-<id>.key`, mode 0600.
 *
 * Written to a temporary file created with mode 0600 and then renamed, so the key is never readable by others,
 * not even for a moment.
 */
export function createFileKeyStore(dataDir: string): KeyStore {
  const dir = getKeysDir(dataDir)
  const fileOf = (sourceId: number) => join(dir, `source-${Math.trunc(sourceId)}.key`)
  return {
    getKey(sourceId) {
      try {
        const key = readFileSync(fileOf(sourceId), 'utf8').trim()
        return key === '' ? null : key
      } catch {
        return null
      }
    },
    setKey(sourceId, key) {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      chmodSync(dir, 0o700)
      const file = fileOf(sourceId)
      const temp = `${file}.${process.pid}.tmp`
      writeFileSync(temp, `${key}\n`, { mode: 0o600 })
      chmodSync(temp, 0o600)
      renameSync(temp, file)
    },
    deleteKey(sourceId) {
      rmSync(fileOf(sourceId), { force: true })
    }
  }
}

/**
 * A key store that falls back to the environment: the stored key if there is one, else `TAPEDECK_POSTHOG_KEY`.
 *
 * For the CLI, so `TAPEDECK_POSTHOG_KEY=… tapedeck sync` works without a stored key.
 */
export function withEnvironmentKey(
  store: KeyStore,
  env: NodeJS.ProcessEnv = process.env
): KeyStore {
  return {
    getKey: (sourceId) => store.getKey(sourceId) ?? (env[POSTHOG_KEY_ENV]?.trim() || null),
    setKey: (sourceId, key) => store.setKey(sourceId, key),
    deleteKey: (sourceId) => store.deleteKey(sourceId)
  }
}
