import { describe, expect, it } from 'vitest'
import type { AppContext } from '../core/app-context'
import { createTestDb } from '../test/test-db'
import type { WritableDb } from '../db/types'
import { createRecordingHandlers, LIST_COUNT_AT_MOST } from './recording-handlers'

const BASE_MS = Date.UTC(2026, 0, 1)

/** `count` recordings a minute apart; every third has an exception and its search text says "checkout". */
function seed(db: WritableDb, count: number): void {
  const insert = db.prepare(`
    INSERT INTO recordings (rowid, id, distinct_id, start_ms, end_ms, duration_ms, active_ms, exception_count,
      console_error_count, urls, imported_at_ms)
    VALUES (?, ?, 'd', ?, ?, ?, 0, ?, 0, '[]', 0)`)
  const insertFts = db.prepare(
    `INSERT INTO recordings_fts (rowid, people, urls, console, exceptions, tags, events) VALUES (?, 'd', '', ?, '', '', '')`
  )
  for (let k = 0; k < count; k++) {
    const startMs = BASE_MS + k * 60_000
    insert.run(
      startMs * 1024,
      `rec-${k}`,
      startMs,
      startMs + 1000 + k,
      1000 + k,
      k % 3 === 0 ? 1 : 0
    )
    insertFts.run(startMs * 1024, k % 3 === 0 ? 'checkout failed' : 'browse')
  }
}

describe('recording handlers', () => {
  it('stop counting a page at LIST_COUNT_AT_MOST and give the exact count through recordings:count', async () => {
    const db = createTestDb()
    seed(db, 3 * LIST_COUNT_AT_MOST + 300)
    const handlers = createRecordingHandlers({ db } as unknown as AppContext)

    const all = await handlers['recordings:search']({ sort: 'longest', limit: 100 })
    expect(all).toMatchObject({ total: LIST_COUNT_AT_MOST, totalIsExact: false })
    expect(all.recordings[0]?.id).toBe(`rec-${3 * LIST_COUNT_AT_MOST + 299}`)
    expect(await handlers['recordings:count']({ sort: 'longest', limit: 100 })).toBe(
      3 * LIST_COUNT_AT_MOST + 300
    )

    const query = {
      text: 'checkout',
      hasExceptions: true,
      sort: 'most-errors' as const,
      limit: 100
    }
    expect(await handlers['recordings:search'](query)).toMatchObject({
      total: LIST_COUNT_AT_MOST,
      totalIsExact: false
    })
    expect(await handlers['recordings:count'](query)).toBe(LIST_COUNT_AT_MOST + 100)

    // A page past the cap counts at least to its own end; a small result is exact.
    const deep = await handlers['recordings:search']({ limit: 100, offset: 2000 })
    expect(deep).toMatchObject({ total: 2100, totalIsExact: false })
    expect(await handlers['recordings:search']({ text: 'nothing' })).toMatchObject({
      total: 0,
      totalIsExact: true
    })
  })
})
