import type { FunnelDefinition, SavedFunnel } from '@shared/analytics'
import type { ReadableDb, WritableDb } from './types'

/**
 * Saved funnels live in the `settings` table under `funnel:<id>` keys, as saved views do (they are few, and need
 * no table of their own).
 */
type StoredFunnel = { name: string; definition: FunnelDefinition; createdAtMs: number }

/** Every saved funnel, oldest first. */
export function listSavedFunnels(db: ReadableDb): SavedFunnel[] {
  const rows = db.prepare(`SELECT key, value FROM settings WHERE key LIKE 'funnel:%'`).all() as {
    key: string
    value: string
  }[]
  return rows
    .map((row) => {
      const stored = JSON.parse(row.value) as StoredFunnel
      return {
        id: Number(row.key.slice('funnel:'.length)),
        name: stored.name,
        definition: stored.definition,
        createdAtMs: stored.createdAtMs
      }
    })
    .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id - b.id)
}

/** Saves a funnel under a name; a funnel of the same name is replaced (keeping its id). */
export function saveFunnel(
  db: WritableDb,
  name: string,
  definition: FunnelDefinition,
  nowMs: number = Date.now()
): SavedFunnel {
  return db.transaction(() => {
    const saved = listSavedFunnels(db)
    const existing = saved.find((funnel) => funnel.name === name)
    const id = existing?.id ?? Math.max(0, ...saved.map((funnel) => funnel.id)) + 1
    const stored: StoredFunnel = { name, definition, createdAtMs: existing?.createdAtMs ?? nowMs }
    db.prepare(
      `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`
    ).run(`funnel:${id}`, JSON.stringify(stored))
    return { id, ...stored }
  })()
}

export function deleteSavedFunnel(db: WritableDb, id: number): void {
  db.prepare(`DELETE FROM settings WHERE key = ?`).run(`funnel:${id}`)
}
