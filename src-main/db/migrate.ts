import type { WritableDb } from './types'
import { MIGRATIONS } from './migrations'

export type Migration = Readonly<{ version: number; name: string; up: (db: WritableDb) => void }>

/**
 * Applies every migration newer than the database's `user_version`, each in its own transaction.
 *
 * Forward only. Throws when the database is newer than this build knows (a downgrade), so an old build never
 * writes into a schema it does not understand.
 */
export function migrate(db: WritableDb, migrations: readonly Migration[] = MIGRATIONS): void {
  const currentVersion = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.at(-1)?.version ?? 0
  if (currentVersion > latest && migrations === MIGRATIONS) {
    throw new Error(
      `The cache was written by a newer Tapedeck (schema ${currentVersion}, this build knows ${latest}).`
    )
  }
  for (const migration of migrations) {
    if (migration.version <= currentVersion) continue
    // IMMEDIATE takes the write lock first, and the version is read again under it: another process (the app and
    // the CLI opening one new data folder at once) may have applied this migration since we looked.
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return
      migration.up(db)
      db.pragma(`user_version = ${Math.trunc(migration.version)}`)
    }).immediate()
  }
}

/** The schema version a database is at. */
export function getSchemaVersion(db: WritableDb): number {
  return db.pragma('user_version', { simple: true }) as number
}
