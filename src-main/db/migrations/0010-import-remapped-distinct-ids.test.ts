import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

describe('migration 0010 (distinct ids each import mapped)', () => {
  it('takes earlier imports of persons or recordings to have mapped some, and events-only imports none', () => {
    const db = createTestDb({ upToVersion: 9 })
    const insert = db.prepare(
      `INSERT INTO imports (path, size_bytes, mtime_ms, content_hash, kind, format, status, reason, warnings, recordings, events, persons, started_at_ms, finished_at_ms)
       VALUES (?, 1, 1, NULL, 'events', NULL, 'imported', NULL, '[]', ?, ?, ?, 1, 1)`
    )
    insert.run('events.jsonl', 0, 10, 0)
    insert.run('persons.jsonl', 0, 0, 3)
    insert.run('recording.json', 1, 0, 0)
    migrate(db, MIGRATIONS)
    expect(db.prepare(`SELECT path, remapped_distinct_ids AS n FROM imports ORDER BY id`).all()).toEqual([
      { path: 'events.jsonl', n: 0 },
      { path: 'persons.jsonl', n: 1 },
      { path: 'recording.json', n: 1 }
    ])
  })
})
