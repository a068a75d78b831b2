import { describe, expect, it, vi } from 'vitest'
import type { RecordingQuery, RecordingSort } from '@shared/domain'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createTempDir, createTestDb } from '../test/test-db'
import { migrate } from './migrate'
import { MIGRATIONS } from './migrations'
import {
  countRecordings,
  markRecordingViewed,
  searchRecordings,
  toExactFtsQuery,
  toFtsQuery
} from './recording-queries'
import type { WritableDb } from './types'

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const URLS = [
  'https://shop.test/cart',
  'https://shop.test/Cart/Checkout',
  'https://shop.test/settings/billing',
  'https://shop.test/search?q=100%_off',
  'https://shop.test/café/ÉTÉ',
  'https://docs.test/a_b/c',
  'https://docs.test/"quoted"',
  'https://app.test/'
]
const WORDS = [
  'checkout',
  'checking',
  'shop',
  'payment',
  'failed',
  'TypeError',
  'cannot',
  'read',
  'coupon',
  'zebra'
]
const EVENTS = ['$pageview', 'signup', 'purchase']
const BASE_MS = Date.UTC(2026, 0, 1)

/** Fills a cache with `count` random recordings, persons, events and search documents (ties on purpose). */
function seed(
  db: WritableDb,
  count: number,
  random: () => number,
  batch: { idPrefix: string; firstMs: number; words: readonly string[] } = {
    idPrefix: 'rec',
    firstMs: BASE_MS,
    words: WORDS
  }
): void {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const insertPerson = db.prepare(
    `INSERT OR IGNORE INTO persons (id, email, name) VALUES (?, ?, ?)`
  )
  const insertDistinct = db.prepare(
    `INSERT OR IGNORE INTO person_distinct_ids (distinct_id, person_id) VALUES (?, ?)`
  )
  for (let p = 0; p < 20; p++) {
    insertPerson.run(`person-${p}`, p % 3 === 0 ? null : `User${p}@Example.test`, `Name ${p}`)
    insertDistinct.run(`distinct-${p}`, `person-${p}`)
  }
  const insert = db.prepare(`
    INSERT INTO recordings (rowid, id, distinct_id, person_id, start_ms, end_ms, duration_ms, active_ms,
      exception_count, console_error_count, urls, viewed_at_ms, imported_at_ms)
    VALUES (@rowid, @id, @distinctId, @personId, @startMs, @endMs, @durationMs, @activeMs,
      @exceptionCount, @consoleErrorCount, @urls, @viewedAtMs, 0)`)
  const insertFts = db.prepare(
    `INSERT INTO recordings_fts (rowid, people, urls, console, exceptions, tags, events) VALUES (?, ?, ?, ?, '', '', '')`
  )
  const insertEvent = db.prepare(
    `INSERT INTO events (uuid, event, distinct_id, session_id, timestamp_ms) VALUES (?, ?, 'd', ?, ?)`
  )
  const used = new Set<number>()
  for (let k = 0; k < count; k++) {
    // Start times collide now and then, so rowids (start_ms * 1024 + n) and start times both tie.
    const startMs = batch.firstMs + Math.floor(random() * 200) * 60_000
    let rowid = startMs * 1024
    while (used.has(rowid)) rowid++
    used.add(rowid)
    const durationMs = pick([
      5_000,
      60_000,
      60_000,
      300_000,
      1_800_000,
      Math.floor(random() * 3_600_000)
    ])
    const person = random() < 0.8 ? Math.floor(random() * 20) : null
    const urls = URLS.filter(() => random() < 0.3)
    // Only the shortest recordings visit this URL: it comes last in the longest-first order.
    if (durationMs === 5_000) urls.push('https://late.test/x')
    const id = `${batch.idPrefix}-${k}`
    insert.run({
      rowid,
      id,
      distinctId: person === null ? `anon-${k}` : `distinct-${person}`,
      personId: person === null ? null : `person-${person}`,
      startMs,
      endMs: startMs + durationMs,
      durationMs,
      activeMs: Math.floor(durationMs * pick([0, 0.5, 1])),
      exceptionCount: pick([0, 0, 0, 1, 2, 5]),
      consoleErrorCount: pick([0, 0, 1, 3]),
      urls: JSON.stringify(urls),
      viewedAtMs: random() < 0.3 ? startMs + 1 : null
    })
    const words = batch.words.filter(() => random() < 0.35)
    // Twelve terms share the prefix "zone" (more than a prefix is spelled out as); "latecomer" only in the shortest.
    if (durationMs === 5_000) words.push('latecomer')
    insertFts.run(
      rowid,
      person === null ? `anon-${k}` : `User${person}@Example.test distinct-${person}`,
      urls.join(' '),
      [...words, `tag-zone${k % 12}`].join(' ')
    )
    for (const event of EVENTS)
      if (random() < 0.4) insertEvent.run(`${id}-${event}`, event, id, startMs)
  }
}

const REFERENCE_ORDER: Record<RecordingSort, string> = {
  latest: 'r.rowid DESC',
  oldest: 'r.rowid ASC',
  longest: 'r.duration_ms DESC, r.rowid DESC',
  'most-active': 'r.active_ms DESC, r.rowid DESC',
  'most-errors': '(r.exception_count + r.console_error_count) DESC, r.rowid DESC'
}

/** The straightforward query over `recordings` (what the list ran before its derived tables): ids and total. */
function referenceSearch(db: WritableDb, query: RecordingQuery): { total: number; ids: string[] } {
  const clauses: string[] = []
  const params: Record<string, unknown> = {}
  const fts = query.text ? toFtsQuery(query.text) : null
  if (fts) {
    clauses.push('r.rowid IN (SELECT rowid FROM recordings_fts WHERE recordings_fts MATCH @fts)')
    params.fts = fts
  }
  const simple: Array<[keyof RecordingQuery, string]> = [
    ['fromMs', 'r.start_ms >= @fromMs'],
    ['toMs', 'r.start_ms <= @toMs'],
    ['minDurationMs', 'r.duration_ms >= @minDurationMs'],
    ['maxDurationMs', 'r.duration_ms <= @maxDurationMs'],
    ['minActiveMs', 'r.active_ms >= @minActiveMs']
  ]
  for (const [key, clause] of simple) {
    if (query[key] === undefined) continue
    clauses.push(clause)
    params[key] = query[key]
  }
  if (query.hasExceptions !== undefined)
    clauses.push(query.hasExceptions ? 'r.exception_count > 0' : 'r.exception_count = 0')
  if (query.hasConsoleErrors !== undefined) {
    clauses.push(query.hasConsoleErrors ? 'r.console_error_count > 0' : 'r.console_error_count = 0')
  }
  if (query.viewed !== undefined)
    clauses.push(query.viewed ? 'r.viewed_at_ms IS NOT NULL' : 'r.viewed_at_ms IS NULL')
  if (query.person) {
    clauses.push(`(r.person_id = @person OR r.distinct_id = @person
      OR r.person_id IN (SELECT id FROM persons WHERE email = @person COLLATE NOCASE)
      OR r.person_id IN (SELECT person_id FROM person_distinct_ids WHERE distinct_id = @person))`)
    params.person = query.person
  }
  if (query.urlContains) {
    clauses.push(`r.urls LIKE @urlLike ESCAPE '\\'`)
    params.urlLike = `%${query.urlContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  }
  if (query.performedEvent) {
    clauses.push(
      'EXISTS (SELECT 1 FROM events e WHERE e.session_id = r.id AND e.event = @performedEvent)'
    )
    params.performedEvent = query.performedEvent
  }
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''
  const ids = db
    .prepare(
      `SELECT r.id FROM recordings r ${where} ORDER BY ${REFERENCE_ORDER[query.sort ?? 'latest']}
       LIMIT @limit OFFSET @offset`
    )
    .pluck()
    .all({ ...params, limit: query.limit ?? 50, offset: query.offset ?? 0 }) as string[]
  const total = db
    .prepare(`SELECT count(*) FROM recordings r ${where}`)
    .pluck()
    .get(params) as number
  return { total, ids }
}

const SORTS: RecordingSort[] = ['latest', 'oldest', 'longest', 'most-active', 'most-errors']
const FILTERS: RecordingQuery[] = [
  {},
  { hasExceptions: true },
  { hasExceptions: false },
  { hasConsoleErrors: true },
  { hasConsoleErrors: false, minDurationMs: 60_000 },
  { fromMs: BASE_MS + 50 * 60_000, toMs: BASE_MS + 120 * 60_000 },
  { fromMs: BASE_MS + 150 * 60_000, viewed: false },
  { viewed: true },
  { minDurationMs: 60_000, maxDurationMs: 300_000, minActiveMs: 1 },
  { person: 'person-3' },
  { person: 'user4@example.test' },
  { person: 'distinct-7' },
  { person: 'anon-17' },
  { urlContains: '/cart' },
  { urlContains: '/CART' },
  { urlContains: 'café' },
  { urlContains: 'CAFÉ' },
  { urlContains: 'été' },
  { urlContains: '100%_off' },
  { urlContains: '%' },
  { urlContains: 'a_b' },
  { urlContains: '"quoted"' },
  { urlContains: '","' },
  { urlContains: 'ca' },
  { urlContains: 'nowhere' },
  { urlContains: 'late.test' },
  { performedEvent: 'signup' },
  { performedEvent: 'never' },
  { text: 'checkout' },
  { text: 'check' },
  { text: 'payment failed' },
  { text: 'User4@Example.test' },
  { text: 'zebra', hasExceptions: true, sort: 'longest' },
  { text: 'shop', urlContains: 'billing' },
  { text: 'shop', hasExceptions: true },
  { text: 'check', fromMs: BASE_MS + 100 * 60_000, viewed: false },
  { text: 'failed', hasConsoleErrors: true, minDurationMs: 300_000 },
  { text: 'coupon', fromMs: BASE_MS + 30 * 60_000, hasConsoleErrors: true },
  { urlContains: 'shop.test', hasExceptions: true, viewed: false },
  { urlContains: 'checkout', person: 'person-2' },
  { text: 'read', performedEvent: 'purchase', minDurationMs: 60_000 },
  // Prefixes: spelled out as terms (one, several, in a phrase), answered by the prefix index (2, 3 characters), kept
  // (1 character, too many terms, not ASCII, no term).
  { text: 'paym' },
  { text: 'tag-zone1' },
  { text: 'zone' },
  { text: 'ch' },
  { text: 'user4@example.tes' },
  { text: 'c' },
  { text: 'CAFÉ' },
  { text: 'shop zebr' },
  { text: 'shop chec' },
  { text: 'cannot read chec', hasExceptions: true, sort: 'most-errors' },
  { text: 'checkoutx' },
  // A common search whose matches come last in the longest-first order (the row-by-row walk gives up).
  { text: 'latecomer' },
  { text: 'latecomer', hasExceptions: true },
  // Exact counts from the filtered rows: probed one by one, or as a set the matches are tested against.
  { text: 'shop', hasExceptions: false },
  { text: 'check', viewed: false },
  { text: 'checkout', person: 'person-3' },
  { urlContains: 'shop.test', viewed: false },
  { urlContains: 'cart', hasConsoleErrors: false }
]

/** Makes the list forget the answers it keeps between queries: a write through the connection (a temporary row). */
function forgetKeptAnswers(db: WritableDb): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS forget (x); INSERT INTO temp.forget VALUES (1)`)
}

function expectSameAsReference(db: WritableDb): number {
  let compared = 0
  for (const filter of FILTERS) {
    for (const sort of SORTS) {
      for (const [limit, offset] of [
        [7, 0],
        [7, 21],
        [50, 0],
        [1000, 0],
        [5, 5000]
      ] as const) {
        const query: RecordingQuery = { ...filter, sort, limit, offset }
        const expected = referenceSearch(db, query)
        forgetKeptAnswers(db)
        // What the list's channel asks: the total counted up to 30 (or past the page), exact below that. Asked
        // first (nothing kept), and again once the exact count is kept (the capped total follows from it).
        const atMost = Math.max(30, offset + expected.ids.length)
        const cappedTotal = {
          total: Math.min(expected.total, atMost),
          exact: expected.total <= atMost
        }
        const capped = searchRecordings(db, query, { countAtMost: 30 })
        expect({ query, total: capped.total, exact: capped.totalIsExact }).toEqual({
          query,
          ...cappedTotal
        })
        expect(capped.recordings.map((r) => r.id)).toEqual(expected.ids)
        expect(countRecordings(db, query, 30)).toBe(Math.min(expected.total, 30))
        const page = searchRecordings(db, query)
        expect({ query, total: page.total, ids: page.recordings.map((r) => r.id) }).toEqual({
          query,
          ...expected
        })
        expect(countRecordings(db, query)).toBe(expected.total)
        const again = searchRecordings(db, query, { countAtMost: 30 })
        expect({ query, total: again.total, exact: again.totalIsExact }).toEqual({
          query,
          ...cappedTotal
        })
        expect(again.recordings.map((r) => r.id)).toEqual(expected.ids)
        expect(countRecordings(db, query, 30)).toBe(Math.min(expected.total, 30))
        compared++
      }
    }
  }
  return compared
}

describe('searchRecordings', () => {
  it('returns exactly what the straightforward query over recordings returns, for every sort and filter', () => {
    const db = createTestDb()
    seed(db, 700, createRandom(42))
    expect(expectSameAsReference(db)).toBe(FILTERS.length * SORTS.length * 5)
  })

  it('stays equal to the reference after recordings are updated, marked viewed, renamed and deleted', () => {
    const db = createTestDb()
    const random = createRandom(7)
    seed(db, 400, random)
    const ids = db.prepare('SELECT id FROM recordings ORDER BY rowid').pluck().all() as string[]
    for (const id of ids.filter((_, i) => i % 5 === 0))
      markRecordingViewed(db, id, random() < 0.5, 123)
    db.prepare(
      `UPDATE recordings SET exception_count = exception_count + 3 WHERE rowid % 7 = 0`
    ).run()
    db.prepare(
      `UPDATE recordings SET console_error_count = 0, duration_ms = 42 WHERE rowid % 11 = 0`
    ).run()
    db.prepare(
      `UPDATE recordings SET urls = '["https://moved.test/Cart"]' WHERE rowid % 13 = 0`
    ).run()
    db.prepare(`UPDATE recordings SET id = id || '-renamed' WHERE rowid % 17 = 0`).run()
    // Writers delete a recording's search row with it (import store, prune), and would move it with its rowid.
    db.prepare(`DELETE FROM recordings_fts WHERE rowid % 19 = 0`).run()
    db.prepare(`DELETE FROM recordings WHERE rowid % 19 = 0`).run()
    const moved = db
      .prepare(
        `SELECT rowid FROM recordings WHERE rowid % 23 = 0 AND rowid + 1 NOT IN (SELECT rowid FROM recordings)`
      )
      .pluck()
      .all() as number[]
    for (const rowid of moved) {
      db.prepare(`UPDATE recordings SET rowid = rowid + 1 WHERE rowid = ?`).run(rowid)
      db.prepare(`UPDATE recordings_fts SET rowid = rowid + 1 WHERE rowid = ?`).run(rowid)
    }
    expect(moved.length).toBeGreaterThan(0)
    expect(
      db
        .prepare(`SELECT count(*) FROM recordings r JOIN recording_list l ON l.rowid = r.rowid`)
        .pluck()
        .get()
    ).toBe(db.prepare(`SELECT count(*) FROM recording_list`).pluck().get())
    expect(expectSameAsReference(db)).toBeGreaterThan(0)
  })

  it('answers the last page without a count and a page past the end with the full count', () => {
    const db = createTestDb()
    seed(db, 120, createRandom(3))
    const total = referenceSearch(db, {}).total
    const prepare = vi.spyOn(db, 'prepare')
    expect(searchRecordings(db, { limit: 100, offset: 100 })).toMatchObject({ total, offset: 100 })
    // The last page's total follows from its rows: no statement counted.
    expect(prepare.mock.calls.filter(([sql]) => /count\(/i.test(sql))).toEqual([])
    prepare.mockRestore()
    expect(searchRecordings(db, { limit: 10, offset: 10_000 })).toEqual({
      total,
      totalIsExact: true,
      offset: 10_000,
      recordings: []
    })
    expect(searchRecordings(db, { text: 'nothing-matches-this' })).toEqual({
      total: 0,
      totalIsExact: true,
      offset: 0,
      recordings: []
    })
  })
})

describe('toExactFtsQuery', () => {
  it('spells a prefix of 4 or more ASCII characters out as the index terms it stands for', () => {
    const db = createTestDb()
    seed(db, 200, createRandom(5))
    expect(toExactFtsQuery(db, 'chec')).toBe('("checking" OR "checkout")')
    expect(toExactFtsQuery(db, 'Payment FAIL')).toBe('"Payment" "failed"')
    expect(toExactFtsQuery(db, 'tag-zone1')).toBe('("tag zone1" OR "tag zone10" OR "tag zone11")')
    // After other words the group's AND is spelled out (FTS5 refuses `"a" ("b" OR "c")`).
    expect(toExactFtsQuery(db, 'shop  chec')).toBe('"shop" AND ("checking" OR "checkout")')
    // Kept as prefixes: the prefix index (2 and 3 characters), one character, more than 8 terms, not ASCII, no term.
    expect(toExactFtsQuery(db, 'che')).toBe('"che"*')
    expect(toExactFtsQuery(db, 'c')).toBe('"c"*')
    expect(toExactFtsQuery(db, 'zone')).toBe('"zone"*')
    expect(toExactFtsQuery(db, 'café')).toBe('"café"*')
    expect(toExactFtsQuery(db, 'qwerty')).toBe('"qwerty"*')
    expect(toExactFtsQuery(db, '  ')).toBeNull()
  })

  it('sees terms written after an earlier answer', () => {
    const db = createTestDb()
    seed(db, 50, createRandom(6))
    expect(toExactFtsQuery(db, 'chec')).toBe('("checking" OR "checkout")')
    db.prepare(
      `INSERT INTO recordings_fts (rowid, people, urls, console, exceptions, tags, events) VALUES (1, '', '', 'checkered', '', '', '')`
    ).run()
    expect(toExactFtsQuery(db, 'chec')).toBe('("checkered" OR "checking" OR "checkout")')
  })
})

/** Each query's first page (count capped at 30) and exact count through `db` equal the reference's on `reference`. */
function expectPagesAndCounts(
  db: WritableDb,
  reference: WritableDb,
  queries: readonly RecordingQuery[]
): void {
  for (const query of queries) {
    const expected = referenceSearch(reference, query)
    const page = searchRecordings(db, query, { countAtMost: 30 })
    expect({ query, ids: page.recordings.map((r) => r.id) }).toEqual({ query, ids: expected.ids })
    expect({ query, total: countRecordings(db, query) }).toEqual({ query, total: expected.total })
  }
}

describe('answers kept between queries', () => {
  it('are forgotten when the cache changes, through this connection or another', () => {
    const { dir, cleanup } = createTempDir()
    const path = join(dir, 'cache.sqlite')
    const writer = new Database(path) as WritableDb
    const reader = new Database(path, { readonly: true }) as unknown as WritableDb
    try {
      writer.pragma('journal_mode = WAL')
      migrate(writer, MIGRATIONS)
      seed(writer, 700, createRandom(12))
      // Walks that gather their matches as sets (the matches come last in these orders), their counts, a prefix.
      const queries: RecordingQuery[] = [
        { urlContains: 'late.test', sort: 'longest', limit: 20 },
        { urlContains: 'late.test', viewed: false, sort: 'longest', limit: 20 },
        { text: 'latecomer', sort: 'longest', limit: 20 },
        { text: 'latecomer', hasExceptions: true, sort: 'most-active', limit: 20 },
        { text: 'chec', sort: 'longest', limit: 20 },
        { text: 'chec', sort: 'latest', limit: 20 }
      ]
      const expectSame = (db: WritableDb) => expectPagesAndCounts(db, writer, queries)
      expectSame(reader)
      expectSame(writer)
      const before = referenceSearch(writer, { text: 'chec' }).total
      // New matches, and a term the prefix "chec" now stands for, written by the writer: the reader sees them too.
      seed(writer, 300, createRandom(13), {
        idPrefix: 'later',
        firstMs: BASE_MS + 86_400_000,
        words: [...WORDS, 'checkered']
      })
      expect(referenceSearch(writer, { text: 'chec' }).total).toBeGreaterThan(before)
      expectSame(reader)
      expectSame(writer)
      writer.prepare(`DELETE FROM recordings_fts WHERE rowid % 3 = 0`).run()
      writer.prepare(`DELETE FROM recordings WHERE rowid % 3 = 0`).run()
      expectSame(writer)
      expectSame(reader)
    } finally {
      reader.close()
      writer.close()
      cleanup()
    }
  })
})

describe('answers kept between queries, inside a transaction', () => {
  it('are neither kept nor used, as a rollback undoes its writes', () => {
    const db = createTestDb()
    seed(db, 700, createRandom(14))
    const queries: RecordingQuery[] = [
      { urlContains: 'late.test', sort: 'longest', limit: 20 },
      { text: 'latecomer', sort: 'longest', limit: 20 },
      { text: 'chec', hasExceptions: true, limit: 20 }
    ]
    const expectSame = () => expectPagesAndCounts(db, db, queries)
    expectSame()
    const rollback = new Error('rolled back')
    expect(
      db.transaction(() => {
        seed(db, 300, createRandom(15), {
          idPrefix: 'later',
          firstMs: BASE_MS + 86_400_000,
          words: [...WORDS, 'checkered']
        })
        expectSame()
        expectSame()
        throw rollback
      })
    ).toThrow(rollback)
    expectSame()
    expectSame()
  })
})

describe('searchRecordings plans', () => {
  it('walks a sort index probing each row for a common search instead of gathering every match', () => {
    const db = createTestDb()
    seed(db, 700, createRandom(9))
    const prepare = vi.spyOn(db, 'prepare')
    const query: RecordingQuery = { text: 'chec', hasExceptions: true, sort: 'longest', limit: 20 }
    const page = searchRecordings(db, query, { countAtMost: 30 })
    const statements = prepare.mock.calls.map(([sql]) => sql)
    prepare.mockRestore()
    expect(page.recordings.map((r) => r.id)).toEqual(referenceSearch(db, query).ids)
    expect(statements.some((sql) => sql.includes('f.rowid = l.rowid'))).toBe(true)
    expect(statements.filter((sql) => /IN \(SELECT rowid FROM recordings_fts/.test(sql))).toEqual(
      []
    )
  })

  it('counts a common search with a filter by testing the matches against the filtered rows', () => {
    const db = createTestDb()
    seed(db, 700, createRandom(10))
    const query: RecordingQuery = { text: 'shop', viewed: false }
    const prepare = vi.spyOn(db, 'prepare')
    const total = countRecordings(db, query)
    const statements = prepare.mock.calls.map(([sql]) => sql)
    prepare.mockRestore()
    expect(total).toBe(referenceSearch(db, query).total)
    expect(
      statements.some((sql) => sql.includes('+t.rowid IN (SELECT l.rowid FROM recording_list l'))
    ).toBe(true)
  })
})
