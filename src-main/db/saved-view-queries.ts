import type { SavedView } from '@shared/contract/recording-channels'
import type { RecordingQuery } from '@shared/domain'
import type { ReadableDb, WritableDb } from './types'

/**
 * Saved recording-list filters live in the `settings` table under `view:<id>` keys (schema 1 has no table of
 * their own, and they are few).
 */
type StoredView = { name: string; query: RecordingQuery; createdAtMs: number }

/** Every saved view, oldest first. */
export function listSavedViews(db: ReadableDb): SavedView[] {
  const rows = db.prepare(`SELECT key, value FROM settings WHERE key LIKE 'view:%'`).all() as { key: string; value: string }[]
  return rows
    .map((row) => {
      const stored = JSON.parse(row.value) as StoredView
      return { id: Number(row.key.slice(5)), name: stored.name, query: stored.query, createdAtMs: stored.createdAtMs }
    })
    .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id - b.id)
}

/** Saves a view under a name (a view of the same name is replaced). */
export function saveView(db: WritableDb, name: string, query: RecordingQuery, nowMs: number = Date.now()): SavedView {
  return db.transaction(() => {
    const existing = listSavedViews(db).find((view) => view.name === name)
    const id = existing?.id ?? Math.max(0, ...listSavedViews(db).map((view) => view.id)) + 1
    const stored: StoredView = { name, query: { ...query, offset: undefined }, createdAtMs: existing?.createdAtMs ?? nowMs }
    db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
      `view:${id}`,
      JSON.stringify(stored)
    )
    return { id, name, query: stored.query, createdAtMs: stored.createdAtMs }
  })()
}

export function deleteSavedView(db: WritableDb, id: number): void {
  db.prepare(`DELETE FROM settings WHERE key = ?`).run(`view:${id}`)
}
