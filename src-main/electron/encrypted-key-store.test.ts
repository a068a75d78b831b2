import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFileKeyStore } from '../sync/key-store'
import { createTempDir } from '../test/test-db'
import { createEncryptedKeyStore, type KeyCipher } from './encrypted-key-store'

// Stands in for safeStorage (the OS keychain cannot be reached from a test): reversible, and visibly not plain text.
const xorCipher = (isAvailable = true): KeyCipher => ({
  isAvailable: () => isAvailable,
  encrypt: (plain) => Buffer.from(Buffer.from(plain).map((b) => b ^ 0x5a)),
  decrypt: (encrypted) => Buffer.from(encrypted.map((b) => b ^ 0x5a)).toString()
})

describe('createEncryptedKeyStore', () => {
  it('stores keys encrypted with mode 0600, reads them back, and deletes them', () => {
    const { dir, cleanup } = createTempDir()
    try {
      const store = createEncryptedKeyStore(dir, xorCipher())
      store.setKey(4, 'phx_secret')
      const file = join(dir, 'keys', 'source-4.enc')
      expect(readFileSync(file).toString()).not.toContain('phx_secret')
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(store.getKey(4)).toBe('phx_secret')
      store.deleteKey(4)
      expect(store.getKey(4)).toBeNull()
      expect(readdirSync(join(dir, 'keys'))).toEqual([])
    } finally {
      cleanup()
    }
  })

  it('falls back to plain 0600 files without a keychain, and upgrades a plain key when set again', () => {
    const { dir, cleanup } = createTempDir()
    try {
      const warnings: string[] = []
      createEncryptedKeyStore(dir, xorCipher(false), (m) => warnings.push(m)).setKey(1, 'phx_plain')
      expect(warnings).toHaveLength(1)
      expect(createFileKeyStore(dir).getKey(1)).toBe('phx_plain')
      const store = createEncryptedKeyStore(dir, xorCipher())
      expect(store.getKey(1)).toBe('phx_plain')
      store.setKey(1, 'phx_new')
      expect(createFileKeyStore(dir).getKey(1)).toBeNull()
      expect(store.getKey(1)).toBe('phx_new')
    } finally {
      cleanup()
    }
  })
})
