import { copyFileSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync, inflateRawSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/open-database'
import { searchRecordings } from '../db/recording-queries'
import type { WritableDb } from '../db/types'
import { createTempDir, fixturePath } from '../test/test-db'
import { importPaths } from './import-service'

type Manifest = {
  counts: {
    recordings: number
    events: number
    events_by_name: Record<string, number>
    persons_identified: number
    anonymous_visitors: number
    recordings_with_exceptions: number
    recordings_with_console_errors: number
  }
  ground_truth: {
    sessions_with_exceptions: { session_id: string; exceptions: number; types: string[] }[]
  }
  recordings: {
    session_id: string
    email: string | null
    person_id: string
    start_time: string
    duration_ms: number
  }[]
}

const ACME = fixturePath('acme-small')
const manifest = JSON.parse(readFileSync(join(ACME, 'MANIFEST.json'), 'utf8')) as Manifest
const VARIANT_SESSION = '01a16329-a5db-7c38-8220-3b794d6049a8'

let temp: ReturnType<typeof createTempDir>
let db: WritableDb

beforeEach(() => {
  temp = createTempDir()
  db = openDatabase(join(temp.dir, 'cache.sqlite'))
})

afterEach(() => {
  db.close()
  temp.cleanup()
})

/** A fingerprint of every table the importer writes, to prove a failed import changed nothing. */
function snapshotTables(database: WritableDb): string {
  const tables = [
    'recordings',
    'snapshot_chunks',
    'events',
    'persons',
    'person_distinct_ids',
    'exceptions',
    'recording_items'
  ]
  return tables
    .map((table) => {
      const rows = database.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().all()
      return `${table}:${rows.length}:${JSON.stringify(rows).length}`
    })
    .join('|')
}

function writeFile(name: string, content: string | Buffer): string {
  const path = join(temp.dir, name)
  writeFileSync(path, content)
  return path
}

describe('importing the acme-small dataset', () => {
  it('gives exactly the counts of its manifest, and a second import changes nothing', async () => {
    const summary = await importPaths(db, [ACME])
    expect(summary.outcomes.filter((o) => o.status === 'failed')).toEqual([])
    expect(summary.totals.recordings).toBe(manifest.counts.recordings)
    expect(summary.totals.events).toBe(manifest.counts.events)
    expect(summary.totals.persons).toBe(manifest.counts.persons_identified)
    expect(summary.totals.anonymousVisitors).toBe(manifest.counts.anonymous_visitors)

    const byName = Object.fromEntries(
      (
        db.prepare(`SELECT event, count(*) AS n FROM events GROUP BY event`).all() as {
          event: string
          n: number
        }[]
      ).map((row) => [row.event, row.n])
    )
    expect(byName).toEqual(manifest.counts.events_by_name)

    const withExceptions = db
      .prepare(`SELECT id, exception_count FROM recordings WHERE exception_count > 0 ORDER BY id`)
      .all() as { id: string; exception_count: number }[]
    expect(withExceptions).toEqual(
      manifest.ground_truth.sessions_with_exceptions
        .map((s) => ({ id: s.session_id, exception_count: s.exceptions }))
        .sort((a, b) => a.id.localeCompare(b.id))
    )
    const withConsoleErrors = db
      .prepare(`SELECT count(*) FROM recordings WHERE console_error_count > 0`)
      .pluck()
      .get()
    expect(withConsoleErrors).toBe(manifest.counts.recordings_with_console_errors)

    for (const expected of manifest.recordings) {
      const row = db
        .prepare(
          `SELECT r.person_id, p.email, r.start_ms, r.duration_ms FROM recordings r LEFT JOIN persons p ON p.id = r.person_id WHERE r.id = ?`
        )
        .get(expected.session_id) as {
        person_id: string
        email: string | null
        start_ms: number
        duration_ms: number
      }
      expect(row, expected.session_id).toBeDefined()
      expect(row.person_id).toBe(expected.person_id)
      expect(row.email).toBe(expected.email)
      expect(row.start_ms).toBe(Date.parse(expected.start_time))
      expect(row.duration_ms).toBe(expected.duration_ms)
    }

    const before = snapshotTables(db)
    const again = await importPaths(db, [ACME])
    expect(again.files).toEqual({ imported: 0, unchanged: summary.files.imported, failed: 0 })
    expect(snapshotTables(db)).toBe(before)
  })

  it('keeps, of the four shapes of one session, the one whose window ids match the analytics events', async () => {
    await importPaths(db, [ACME])
    const windows = db
      .prepare(`SELECT window_ids FROM recordings WHERE id = ?`)
      .pluck()
      .get(VARIANT_SESSION)
    expect(JSON.parse(windows as string)).toEqual(['01a16329-a5db-7c38-8220-3b7a41aa42de'])
  })

  it('finds a person’s recordings by email through full-text search and the person filter', async () => {
    await importPaths(db, [ACME])
    const email = 'clara.dubois@inbox.example.org'
    const expected = manifest.recordings
      .filter((r) => r.email === email)
      .map((r) => r.session_id)
      .sort()
    const byText = searchRecordings(db, { text: email, limit: 100 })
    expect(byText.recordings.map((r) => r.id).sort()).toEqual(expected)
    const byPerson = searchRecordings(db, { person: email, limit: 100 })
    expect(byPerson.recordings.map((r) => r.id).sort()).toEqual(expected)
    expect(byPerson.recordings.every((r) => r.personEmail === email)).toBe(true)
  })

  it('imports the same result with worker threads as on one thread', async () => {
    const parallel = await importPaths(db, [join(ACME, 'recordings'), join(ACME, 'events.jsonl')], {
      workers: 2
    })
    const other = openDatabase(join(temp.dir, 'other.sqlite'))
    try {
      await importPaths(other, [join(ACME, 'recordings'), join(ACME, 'events.jsonl')], {
        workers: 0
      })
      expect(parallel.files.failed).toBe(0)
      expect(snapshotTables(db)).toBe(snapshotTables(other))
    } finally {
      other.close()
    }
  })
})

describe('recording export shapes', () => {
  it.each([
    ['V2 export', `recordings/${VARIANT_SESSION}.json`, 'posthog-export-v2'],
    [
      'compressed cv 2024-10 events',
      `recordings-variants/${VARIANT_SESSION}.cv-2024-10.json`,
      'posthog-export-v2'
    ],
    [
      'UI download with numeric window ids',
      `recordings-variants/export-${VARIANT_SESSION}.ph-recording.json`,
      'posthog-export-v2'
    ],
    [
      'legacy V1 without an id',
      `recordings-variants/${VARIANT_SESSION}.v2022-12-02.json`,
      'posthog-export-v1'
    ]
  ])('imports the %s as the same session', async (_name, file, format) => {
    const summary = await importPaths(db, [join(ACME, file)])
    expect(summary.outcomes[0]).toMatchObject({ status: 'imported', kind: 'recording', format })
    const page = searchRecordings(db, {})
    expect(page.recordings.map((r) => r.id)).toEqual([VARIANT_SESSION])
    expect(page.recordings[0].startedAtMs).toBe(Date.parse('2026-10-22T10:30:37.024Z'))
    expect(page.recordings[0].durationMs).toBe(54627)
  })

  it('reads gzipped files whatever their name', async () => {
    const path = writeFile(
      'recording.json.gz',
      gzipSync(readFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`)))
    )
    const summary = await importPaths(db, [path])
    expect(summary.outcomes[0].status).toBe('imported')
    expect(summary.totals.recordings).toBe(1)
  })

  it('reads the non-PostHog 2024-04-30 envelope with compressed events and UUID window ids, with a warning', async () => {
    const source = JSON.parse(
      readFileSync(join(ACME, `recordings-variants/${VARIANT_SESSION}.cv-2024-10.json`), 'utf8')
    ) as { data: { id: string; person: unknown; snapshots: unknown[] } }
    const path = writeFile('raw.json', JSON.stringify({ version: '2024-04-30', data: source.data }))
    const summary = await importPaths(db, [path])
    expect(summary.outcomes[0].status).toBe('imported')
    expect(summary.outcomes[0].warnings.join()).toMatch(/2024-04-30/)
    expect(searchRecordings(db, {}).recordings[0].id).toBe(VARIANT_SESSION)
  })

  it('reads blob_v2 JSON Lines ([windowId, event]) and takes the session id from the file name', async () => {
    const source = JSON.parse(
      readFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), 'utf8')
    ) as {
      data: { snapshots: ({ windowId: string } & Record<string, unknown>)[] }
    }
    const lines = source.data.snapshots
      .map(({ windowId, ...event }) => JSON.stringify([windowId, event]))
      .join('\n')
    const summary = await importPaths(db, [writeFile(`${VARIANT_SESSION}.jsonl`, lines + '\n')])
    expect(summary.outcomes[0]).toMatchObject({
      status: 'imported',
      format: 'posthog-blob-v2-jsonl'
    })
    expect(searchRecordings(db, {}).recordings[0].id).toBe(VARIANT_SESSION)
  })

  it('stores the same replay events from blob_v2 lines, whether their bytes are kept as read or re-serialised', async () => {
    const source = JSON.parse(
      readFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), 'utf8')
    ) as {
      data: { snapshots: ({ windowId: unknown } & Record<string, unknown>)[] }
    }
    // Every third line has a space after the window id (not the simple shape: parsed and re-serialised instead),
    // one window id is numeric, and one holds an escaped quote.
    const lines = source.data.snapshots.map(({ windowId, ...event }, i) => {
      const id = i % 7 === 0 ? 42 : i % 11 === 0 ? 'w"1' : windowId
      return i % 3 === 0
        ? `[${JSON.stringify(id)}, ${JSON.stringify(event)}]`
        : JSON.stringify([id, event])
    })
    await importPaths(db, [writeFile(`${VARIANT_SESSION}.jsonl`, lines.join('\n') + '\n')])
    const other = openDatabase(join(temp.dir, 'other.sqlite'))
    try {
      const reserialised = source.data.snapshots.map(({ windowId, ...event }, i) => {
        const id = i % 7 === 0 ? 42 : i % 11 === 0 ? 'w"1' : windowId
        return JSON.stringify({ ...event, windowId: id })
      })
      await importPaths(other, [
        writeFile(`${VARIANT_SESSION}-events.jsonl`, reserialised.join('\n') + '\n')
      ])
      const events = (database: WritableDb) =>
        (
          database.prepare(`SELECT window_id, data FROM snapshot_chunks ORDER BY seq`).all() as {
            window_id: string
            data: Buffer
          }[]
        )
          .flatMap((row) =>
            (JSON.parse(inflateRawSync(row.data).toString()) as Record<string, unknown>[]).map(
              (e) => {
                const { windowId: _windowId, ...rest } = e
                return JSON.stringify([row.window_id, rest])
              }
            )
          )
          .sort()
      const fromBlob = events(db)
      expect(fromBlob.length).toBeGreaterThanOrEqual(source.data.snapshots.length)
      expect(fromBlob).toEqual(events(other))
    } finally {
      other.close()
    }
  })

  it('keeps the more complete export of a session and replaces an older one by a newer', async () => {
    const full = JSON.parse(
      readFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), 'utf8')
    ) as {
      version: string
      data: { id: string; person: unknown; snapshots: unknown[] }
    }
    const half = { ...full, data: { ...full.data, snapshots: full.data.snapshots.slice(0, 40) } }
    const halfPath = writeFile('half.json', JSON.stringify(half))
    const fullPath = writeFile('full.json', JSON.stringify(full))
    await importPaths(db, [halfPath])
    const shortEnd = searchRecordings(db, {}).recordings[0].endedAtMs
    await importPaths(db, [fullPath])
    const longEnd = searchRecordings(db, {}).recordings[0].endedAtMs
    expect(longEnd).toBeGreaterThan(shortEnd)
    const older = await importPaths(db, [writeFile('half-again.json', JSON.stringify(half) + ' ')])
    expect(older.outcomes[0].warnings.join()).toMatch(/kept it/)
    expect(searchRecordings(db, {}).recordings[0].endedAtMs).toBe(longEnd)
    expect(searchRecordings(db, {}).total).toBe(1)
  })
})

describe('third-party samples', () => {
  const sample = (name: string) => fixturePath('samples', name)

  it('imports the legacy blob v1 JSON Lines with its two windows', async () => {
    const summary = await importPaths(db, [
      sample(
        'PostHog__posthog__frontend__src__scenes__session-recordings__mocks__recording_snapshots.jsonl'
      )
    ])
    expect(summary.outcomes[0]).toMatchObject({
      status: 'imported',
      kind: 'recording',
      format: 'posthog-blob-v1-jsonl'
    })
    const row = db.prepare(`SELECT window_count, event_count FROM recordings`).get() as {
      window_count: number
      event_count: number
    }
    expect(row.window_count).toBe(2)
  })

  it('imports the plain rrweb event array of the rrweb-player demo', async () => {
    const summary = await importPaths(db, [
      sample('rrweb-io__rrweb__packages__rrweb-player__public__events.json')
    ])
    expect(summary.outcomes[0]).toMatchObject({
      status: 'imported',
      kind: 'recording',
      format: 'rrweb-array'
    })
    const recording = searchRecordings(db, {}).recordings[0]
    expect(recording.brokenReason).toBeNull()
    expect(recording.eventCount).toBeGreaterThan(200)
  })

  it('imports the persons API page', async () => {
    const summary = await importPaths(db, [
      sample('kitadmin01__analytickit__cypress__fixtures__api__person__persons.json')
    ])
    expect(summary.outcomes[0]).toMatchObject({ status: 'imported', kind: 'persons', persons: 99 })
  })

  it('imports the events API page and the ClickHouse-row $exception', async () => {
    const summary = await importPaths(db, [
      sample('kitadmin01__analytickit__cypress__fixtures__api__event__single_person_events.json'),
      sample('PostHog__posthog__rust__cymbal__tests__static__raw_ch_exception_list.json')
    ])
    expect(summary.outcomes.map((o) => o.status)).toEqual(['imported', 'imported'])
    expect(db.prepare(`SELECT count(*) FROM exceptions WHERE source = 'event'`).pluck().get()).toBe(
      1
    )
  })

  it('imports events from a HogQL query response (rows named by columns)', async () => {
    const response = {
      columns: [
        'uuid',
        'event',
        'timestamp',
        'distinct_id',
        'properties.$session_id',
        'properties.$current_url'
      ],
      hasMore: false,
      results: [
        [
          '0187b2fd-0000-7000-8000-000000000001',
          '$pageview',
          '2023-04-24T11:19:59.222Z',
          'd1',
          's1',
          'http://x.test/'
        ],
        [
          '0187b2fd-0000-7000-8000-000000000002',
          'clicked',
          '2023-04-24T11:20:01.000Z',
          'd1',
          's1',
          'http://x.test/a'
        ]
      ],
      types: ['UUID', 'String', "DateTime64(6, 'UTC')", 'String', 'String', 'String']
    }
    const summary = await importPaths(db, [writeFile('query.json', JSON.stringify(response))])
    expect(summary.outcomes[0]).toMatchObject({ status: 'imported', kind: 'events', events: 2 })
    expect(db.prepare(`SELECT session_id, url FROM events ORDER BY timestamp_ms`).all()).toEqual([
      { session_id: 's1', url: 'http://x.test/' },
      { session_id: 's1', url: 'http://x.test/a' }
    ])
  })

  it('refuses the console-plugin test snapshots (events without timestamps) with a reason', async () => {
    const summary = await importPaths(db, [
      sample(
        'rrweb-io__rrweb__packages__plugins__rrweb-plugin-console-record__test__snapshots.json'
      )
    ])
    expect(summary.outcomes[0].status).toBe('failed')
    expect(summary.outcomes[0].reason).toBeTruthy()
  })
})

describe('bad input', () => {
  const recordingText = () => readFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), 'utf8')

  it.each([
    ['empty.json', '', /empty/],
    ['blank.json', '  \n\n', /white space|empty/],
    ['truncated.json', () => recordingText().slice(0, 5000), /truncated/],
    ['garbled.json', () => recordingText().replace('"type":2', '"type":2,,'), /invalid JSON/],
    [
      'unbalanced.json',
      () => recordingText().replace('"snapshots":[', '"snapshots":[}'),
      /invalid JSON/
    ],
    ['binary.json', Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 9]), /binary|JSON/],
    ['notes.csv', 'a,b,c\n1,2,3\n', /neither a PostHog events nor persons/],
    ['config.json', '{"theme":"dark","fontSize":12}', /not understood|no recording/],
    ['numbers.json', '[1,2,3]', /not understood|no recording/],
    ['bad.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]), /gzip/]
  ])('refuses %s with a reason and leaves the cache as it was', async (name, content, reason) => {
    await importPaths(db, [
      join(ACME, 'recordings', `${VARIANT_SESSION}.json`),
      join(ACME, 'persons.jsonl')
    ])
    const before = snapshotTables(db)
    const path = writeFile(name, typeof content === 'function' ? content() : content)
    const summary = await importPaths(db, [path])
    expect(summary.files.failed).toBe(1)
    expect(summary.outcomes[0].file).toBe(path)
    expect(summary.outcomes[0].reason).toMatch(reason)
    expect(snapshotTables(db)).toBe(before)
    const logged = db.prepare(`SELECT status, reason FROM imports WHERE path = ?`).get(path) as {
      status: string
      reason: string
    }
    expect(logged.status).toBe('failed')
  })

  it('imports the good files of a run that has bad ones', async () => {
    const bad = writeFile('bad.json', '{"version":"2023-04-28","data":{"snapshots":[{"type":4,')
    const good = join(temp.dir, 'good.json')
    copyFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), good)
    const summary = await importPaths(db, [bad, good, join(temp.dir, 'missing.json')])
    expect(summary.files).toEqual({ imported: 1, unchanged: 0, failed: 2 })
    expect(summary.outcomes.find((o) => o.file.endsWith('missing.json'))?.reason).toMatch(
      /no such file/
    )
    expect(summary.totals.recordings).toBe(1)
  })

  it('treats a touched but identical file as unchanged (content hash)', async () => {
    const path = join(temp.dir, 'copy.json')
    copyFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), path)
    await importPaths(db, [path])
    utimesSync(path, new Date(), new Date(Date.now() + 5000))
    const again = await importPaths(db, [path])
    expect(again.files).toEqual({ imported: 0, unchanged: 1, failed: 0 })
  })
})

describe('content hashes', () => {
  it('hashes a new file while parsing it, and knows a copy of it under another name', async () => {
    const { createHash } = await import('node:crypto')
    const original = join(temp.dir, 'original.json')
    copyFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), original)
    const sha256 = createHash('sha256').update(readFileSync(original)).digest('hex')
    await importPaths(db, [original])
    expect(
      db.prepare(`SELECT content_hash FROM imports WHERE path = ?`).pluck().get(original)
    ).toBe(sha256)
    expect(
      db.prepare(`SELECT content_hash FROM recordings WHERE id = ?`).pluck().get(VARIANT_SESSION)
    ).toBe(sha256)

    const copy = join(temp.dir, 'copy-of-original.json')
    copyFileSync(original, copy)
    const again = await importPaths(db, [copy])
    expect(again.files).toEqual({ imported: 0, unchanged: 1, failed: 0 })
  })
})

describe('importing a folder again', () => {
  it('reports a file refused for its content as unchanged until it is modified, then reads it again', async () => {
    const bad = writeFile(
      'truncated.json',
      '{"version":"2023-04-28","data":{"snapshots":[{"type":4,'
    )
    const good = join(temp.dir, 'good.json')
    copyFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`), good)
    const first = await importPaths(db, [bad, good])
    expect(first.files).toEqual({ imported: 1, unchanged: 0, failed: 1 })
    const reason = first.outcomes.find((o) => o.file === bad)?.reason
    expect(reason).toMatch(/truncated/)

    const second = await importPaths(db, [bad, good])
    expect(second.files).toEqual({ imported: 0, unchanged: 2, failed: 0 })
    expect(second.outcomes.find((o) => o.file === bad)).toMatchObject({
      status: 'unchanged',
      reason
    })
    const third = await importPaths(db, [bad, good])
    expect(third.files).toEqual({ imported: 0, unchanged: 2, failed: 0 })

    writeFileSync(bad, readFileSync(good))
    utimesSync(bad, new Date(), new Date(Date.now() + 5000))
    const fixed = await importPaths(db, [bad, good])
    expect(fixed.outcomes.find((o) => o.file === bad)?.status).not.toBe('failed')
  })

  it('tries again a file that could not be read', async () => {
    const locked = writeFile(
      'locked.json',
      readFileSync(join(ACME, `recordings/${VARIANT_SESSION}.json`))
    )
    db.prepare(
      `INSERT INTO imports (path, size_bytes, mtime_ms, status, reason, started_at_ms) VALUES (?, ?, ?, 'failed', ?, 0)`
    ).run(
      locked,
      statSync(locked).size,
      Math.floor(statSync(locked).mtimeMs),
      'permission denied: the file cannot be read'
    )
    const again = await importPaths(db, [locked])
    expect(again.files).toEqual({ imported: 1, unchanged: 0, failed: 0 })
  })
})
