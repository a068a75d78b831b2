import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const HASH_PATTERN = /^[0-9a-f]{64}$/

/** The folder holding cached asset bodies: `<dataDir>/assets`. */
export function getAssetDir(dataDir: string): string {
  return join(dataDir, 'assets')
}

/** The file of one cached body, named by its SHA-256; throws on anything that is not a hash (no path tricks). */
export function getAssetFilePath(dataDir: string, contentHash: string): string {
  if (!HASH_PATTERN.test(contentHash)) throw new Error(`Not a content hash: ${contentHash}`)
  return join(getAssetDir(dataDir), contentHash)
}

/**
 * Stores a body under its SHA-256 and returns the hash. Identical bodies are stored once.
 *
 * Written to a temporary name and renamed, so a reader never sees half a file.
 */
export function writeAssetFileSync(dataDir: string, body: Uint8Array): string {
  const contentHash = createHash('sha256').update(body).digest('hex')
  const file = getAssetFilePath(dataDir, contentHash)
  if (existsSync(file)) return contentHash
  mkdirSync(getAssetDir(dataDir), { recursive: true })
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  try {
    writeFileSync(temp, body)
    renameSync(temp, file)
  } finally {
    rmSync(temp, { force: true })
  }
  return contentHash
}

/** The stored body for a hash, or null when the file is missing. */
export function readAssetFileSync(dataDir: string, contentHash: string): Buffer | null {
  try {
    return readFileSync(getAssetFilePath(dataDir, contentHash))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}
