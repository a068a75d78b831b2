import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFileKeyStore, getKeysDir, type KeyStore } from '../sync/key-store'

/** Encryption with the OS keychain: Electron's `safeStorage`, passed in so this file stays testable in Node. */
export type KeyCipher = {
  isAvailable: () => boolean
  encrypt: (plain: string) => Buffer
  decrypt: (encrypted: Buffer) => string
}

/**
 * PostHog keys encrypted with the OS keychain: `<dataDir>/keys/source-<id>.enc`, mode 0600.
 *
 * When the OS offers no keychain encryption, falls back to the plain 0600 files the CLI uses (and says so once).
 * A key stored in plain form earlier is still read, and re-stored encrypted the next time it is set.
 */
export function createEncryptedKeyStore(
  dataDir: string,
  cipher: KeyCipher,
  warn: (m: string) => void = console.warn
): KeyStore {
  const plain = createFileKeyStore(dataDir)
  const dir = getKeysDir(dataDir)
  const fileOf = (sourceId: number) => join(dir, `source-${Math.trunc(sourceId)}.enc`)
  let warned = false
  const available = () => {
    const ok = cipher.isAvailable()
    if (!ok && !warned) {
      warned = true
      warn(
        'OS keychain encryption is not available; PostHog keys are kept in files readable only by you.'
      )
    }
    return ok
  }
  return {
    getKey(sourceId) {
      try {
        const encrypted = readFileSync(fileOf(sourceId))
        return cipher.decrypt(encrypted).trim() || null
      } catch {
        return plain.getKey(sourceId)
      }
    },
    setKey(sourceId, key) {
      if (!available()) {
        plain.setKey(sourceId, key)
        return
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const file = fileOf(sourceId)
      const temp = `${file}.${process.pid}.tmp`
      writeFileSync(temp, cipher.encrypt(key), { mode: 0o600 })
      chmodSync(temp, 0o600)
      renameSync(temp, file)
      plain.deleteKey(sourceId)
    },
    deleteKey(sourceId) {
      rmSync(fileOf(sourceId), { force: true })
      plain.deleteKey(sourceId)
    }
  }
}
