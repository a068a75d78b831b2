import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { toCacheError } from './cache-errors'
import { migrate } from './migrate'
import type { WritableDb } from './types'

export type OpenDatabaseOptions = {
  /** better-sqlite3's `nativeBinding`: the Electron shell passes its Electron-ABI build here. */
  nativeBinding?: string
  readonly?: boolean
}

/**
 * Opens (creating if needed) the cache database at `file` and migrates it to the latest schema.
 *
 * WAL, foreign keys on, `synchronous = NORMAL` (durable at checkpoints, never corrupt), a busy timeout so the app and
 * the CLI can share one data folder. Throws a `CacheError` when the folder is read-only, inaccessible or full.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): WritableDb {
  let db: WritableDb | null = null
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    db = new Database(file, {
      nativeBinding: options.nativeBinding,
      readonly: options.readonly ?? false
    }) as WritableDb
    db.pragma('busy_timeout = 10000')
    if (!options.readonly) {
      enableWal(db)
      db.pragma('synchronous = NORMAL')
    }
    db.pragma('foreign_keys = ON')
    if (!options.readonly) migrate(db)
    return db
  } catch (error) {
    db?.close()
    // A read-only or full data folder is the user's to fix: say so (CacheError) rather than show SQLite's words.
    throw toCacheError(error, file) ?? error
  }
}

/**
 * Switches a new cache file to WAL (a no-op once it is). The switch needs a moment of exclusive access, and SQLite
 * answers "database is locked" without waiting when another process opens the same new file at that instant (the
 * app and the CLI starting together), so it is retried for a while.
 */
function enableWal(db: WritableDb): void {
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      db.pragma('journal_mode = WAL')
      return
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40)
    }
  }
}
