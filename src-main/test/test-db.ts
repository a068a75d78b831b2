import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from '../db/migrate'
import { MIGRATIONS } from '../db/migrations'
import type { WritableDb } from '../db/types'

/** A fresh in-memory database migrated to `upToVersion` (default: latest). */
export function createTestDb({ upToVersion }: { upToVersion?: number } = {}): WritableDb {
  const db = new Database(':memory:') as WritableDb
  db.pragma('foreign_keys = ON')
  migrate(db, upToVersion === undefined ? MIGRATIONS : MIGRATIONS.filter((m) => m.version <= upToVersion))
  return db
}

/** A temporary folder, removed by the returned `cleanup`. */
export function createTempDir(prefix = 'tapedeck-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Absolute path of a file under `test/fixtures`. */
export function fixturePath(...parts: string[]): string {
  return join(import.meta.dirname, '..', '..', 'test', 'fixtures', ...parts)
}
