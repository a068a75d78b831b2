import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTestDb, createTempDir, fixturePath } from '../test/test-db'
import type { WritableDb } from '../db/types'
import { importPaths } from '../ingest/import-service'
import { loadAcmePostHogData } from './testing/acme-posthog-data'
import { startFakePostHogServer, type FakePostHogServer } from './testing/fake-posthog-server'
import { dumpCacheContent } from './testing/cache-dump'
import { insertSource, getPostHogCursor } from './source-queries'
import { runSync, type SyncDeps } from './sync-run'
import { createPauseGate } from './progress'
import type { SyncProgress } from '@shared/contract/sync-channels'

const API_KEY = 'phx_testkey_4f8a1c2e9b7d6035aa11'
const PROJECT = '4217'
const SINCE_MS = Date.parse('2026-10-01T00:00:00Z')
const UNTIL_MS = Date.parse('2026-11-01T00:00:00Z')
const data = loadAcmePostHogData()
const allIds = data.recordings.map((r) => r.id)

let server: FakePostHogServer
let temp: { dir: string; cleanup: () => void }
let db: WritableDb

beforeEach(async () => {
  temp = createTempDir('tapedeck-posthog-sync-')
  db = createTestDb()
  server = await startFakePostHogServer(data, {
    apiKey: API_KEY,
    projectId: PROJECT,
    legacyBlobIds: [allIds[5]],
    realtimeIds: [allIds[11]],
    maxPageSize: 10
  })
})

afterEach(async () => {
  await server.close()
  db.close()
  temp.cleanup()
})

function addSource(target: WritableDb = db, untilMs: number | null = UNTIL_MS): number {
  return insertSource(
    target,
    {
      kind: 'posthog',
      name: 'Acme',
      location: server.url,
      projectId: PROJECT,
      settings: { sinceMs: SINCE_MS, untilMs, includeEvents: true, includePersons: true }
    },
    Date.parse('2026-11-27T00:00:00Z')
  ).id
}

const NOW_MS = Date.parse('2026-11-27T12:00:00Z')

function deps(
  target: WritableDb = db,
  dataDir = temp.dir,
  retries: string[] = [],
  nowMs = NOW_MS
): SyncDeps {
  return {
    db: target,
    dataDir,
    getKey: () => API_KEY,
    now: () => nowMs,
    importPaths: (d, paths, options) => importPaths(d, paths, { ...options, workers: 0 }),
    posthog: {
      pageSize: 10,
      batchSize: 6,
      http: { baseDelayMs: 5, maxDelayMs: 5_000 },
      onRetry: (info) => retries.push(JSON.stringify(info))
    }
  }
}

async function sync(
  target: WritableDb = db,
  dataDir = temp.dir,
  signal = new AbortController().signal,
  nowMs = NOW_MS
) {
  const progress: SyncProgress[] = []
  const summary = await runSync(
    deps(target, dataDir, [], nowMs),
    { trigger: 'manual' },
    {
      signal,
      gate: createPauseGate(),
      onProgress: (p) => progress.push(p)
    }
  )
  return { summary, progress }
}

const count = (sql: string, target: WritableDb = db) =>
  (target.prepare(sql).get() as { n: number }).n
const snapshotListCalls = () =>
  server.requests.filter(
    (r) => /\/snapshots$/.test(r.path) && !r.query.has('source') && r.status === 200
  )

/**
 * The cache's content without what depends on where the data came from: file paths and hashes, and the snapshot
 * bytes (events downloaded compressed keep their `cv` marker after decoding, as PostHog's own player leaves them).
 */
function contentOf(target: WritableDb, dataDir: string) {
  const dump = dumpCacheContent(target, dataDir)
  const drop = (rows: unknown[], columns: string[]) =>
    rows.map((row) =>
      Object.fromEntries(Object.entries(row as object).filter(([key]) => !columns.includes(key)))
    )
  return {
    ...dump,
    recordings: drop(dump.recordings, ['source_path', 'content_hash', 'raw_bytes']),
    snapshot_chunks: drop(dump.snapshot_chunks, ['data', 'raw_bytes']),
    recordings_fts: drop(dump.recordings_fts, ['exceptions'])
  }
}

describe('PostHog sync against a local server', () => {
  it('first sync brings everything through paging, gzip, 429, 503, a dropped connection and legacy sources', async () => {
    addSource()
    server.addFault({
      match: /\/snapshots\?source=blob_v2/,
      kind: 'rate-limit',
      retryAfterSeconds: 1,
      times: 1
    })
    server.addFault({ match: /\/query\/$/, kind: 'unavailable', times: 1 })
    server.addFault({
      match: /\/session_recordings\/\?.*offset=10/,
      kind: 'drop-mid-body',
      times: 1
    })
    server.addFault({ match: /start_blob_key=20/, kind: 'drop-mid-body', times: 1 })

    const { summary, progress } = await sync()

    expect(summary.status).toBe('completed')
    expect(summary.runs[0]).toMatchObject({ itemsImported: 38, itemsFailed: 0, failures: [] })
    expect(count('SELECT COUNT(*) AS n FROM recordings')).toBe(38)
    expect(count('SELECT COUNT(*) AS n FROM events')).toBe(data.events.length)
    expect(count('SELECT COUNT(*) AS n FROM persons WHERE has_profile = 1')).toBe(
      data.persons.length
    )

    // The same recordings as importing the fixture's export files (recordings, events, persons) directly.
    const direct = createTestDb()
    await importPaths(
      direct,
      ['recordings', 'events.jsonl', 'persons.jsonl'].map((name) =>
        fixturePath('acme-small', name)
      ),
      { workers: 0 }
    )
    expect(contentOf(db, temp.dir)).toEqual(contentOf(direct, temp.dir))
    direct.close()

    // Retry-After was honoured: the retry of the throttled call came at least a second later.
    const throttled = server.requests.find((r) => r.status === 429)!
    const retry = server.requests.find(
      (r) =>
        r.atMs > throttled.atMs &&
        r.path === throttled.path &&
        r.query.toString() === throttled.query.toString()
    )!
    expect(retry.atMs - throttled.atMs).toBeGreaterThanOrEqual(950)
    expect(server.requests.some((r) => r.status === 503)).toBe(true)

    // At most 20 blob keys per call; the long recordings needed more than one call.
    const ranges = server.requests.filter((r) => r.query.get('source') === 'blob_v2')
    for (const r of ranges) {
      expect(
        Number(r.query.get('end_blob_key')) - Number(r.query.get('start_blob_key'))
      ).toBeLessThan(20)
    }
    expect(ranges.some((r) => r.query.get('start_blob_key') === '20')).toBe(true)
    expect(server.requests.filter((r) => r.query.get('source') === 'blob').length).toBe(2)
    expect(server.requests.filter((r) => r.query.get('source') === 'realtime').length).toBe(1)

    // Progress counted recordings up to the total.
    const last = progress.at(-1)!
    expect(last).toMatchObject({ unit: 'recordings', itemsDone: 38, itemsTotal: 38 })
    expect(last.bytesDone).toBeGreaterThan(1_000_000)
  })

  it('a second sync brings only the recordings that started since, and one that grew', async () => {
    addSource(db, null)
    // The first sync runs while recording 29 is still being recorded, just before recording 30 starts.
    const firstSyncMs = data.recordings[30].startMs - 1
    const grown = data.recordings[29]
    server.replaceRecording({
      ...grown,
      lines: grown.lines.slice(0, 40),
      endMs: Number(grown.lines[39][1].timestamp),
      ongoing: true
    })
    await sync(db, temp.dir, new AbortController().signal, firstSyncMs)
    expect(count('SELECT COUNT(*) AS n FROM recordings')).toBe(30)
    expect(snapshotListCalls().length).toBe(30)
    const partialEvents = count(`SELECT event_count AS n FROM recordings WHERE id = '${grown.id}'`)

    server.replaceRecording(grown)
    const before = snapshotListCalls().length
    const { summary } = await sync()
    const fetched = snapshotListCalls()
      .slice(before)
      .map((r) => decodeURIComponent(r.path.split('/')[5]))
    expect(new Set(fetched)).toEqual(new Set([...allIds.slice(30), grown.id]))
    expect(summary.runs[0]).toMatchObject({ itemsImported: 9, itemsFailed: 0 })
    expect(
      count(`SELECT event_count AS n FROM recordings WHERE id = '${grown.id}'`)
    ).toBeGreaterThan(partialEvents)
    expect(count('SELECT COUNT(*) AS n FROM recordings')).toBe(38)
    // The listing resumed near the cursor, not from the source's start.
    const listings = server.requests.filter((r) => r.path.endsWith('/session_recordings/'))
    expect(Date.parse(listings.at(-1)!.query.get('date_from')!)).toBeGreaterThan(SINCE_MS)

    // Nothing new: no snapshot is fetched at all.
    const beforeIdle = snapshotListCalls().length
    const idle = await sync()
    expect(snapshotListCalls().length).toBe(beforeIdle)
    expect(idle.summary.runs[0]).toMatchObject({ itemsImported: 0, itemsFailed: 0 })
    expect(getPostHogCursor(db, 1)?.listedToMs).toBe(NOW_MS)
  })

  it('a sync aborted at random points, then rerun, ends with the same cache as an uninterrupted one', async () => {
    server.setVisible(allIds.slice(0, 16))
    const clean = createTestDb()
    const cleanDir = createTempDir('tapedeck-posthog-clean-')
    try {
      addSource(clean)
      await sync(clean, cleanDir.dir)
      const expected = dumpCacheContent(clean, cleanDir.dir)
      expect(expected.recordings.length).toBe(16)

      addSource()
      // Seeded so a failure can be replayed; every abort lands somewhere else in the sync.
      let seed = 7
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
      for (let round = 0; round < 4; round++) {
        const controller = new AbortController()
        let left = 1 + Math.floor(random() * 40)
        server.onRequest(() => {
          if (--left === 0) controller.abort(new Error('killed'))
        })
        const { summary } = await sync(db, temp.dir, controller.signal)
        server.onRequest(null)
        if (summary.status === 'completed') break
        expect(summary.status).toBe('cancelled')
      }
      await sync()
      expect(dumpCacheContent(db, temp.dir)).toEqual(expected)
      // No partial downloads are left behind.
      const files = readdirSync(join(temp.dir, 'sync'), { recursive: true }) as string[]
      expect(files.filter((f) => f.endsWith('.part'))).toEqual([])
    } finally {
      clean.close()
      cleanDir.cleanup()
    }
  })

  it('never writes the API key into the cache, the sync files or retry reports', async () => {
    addSource()
    server.setVisible(allIds.slice(0, 3))
    server.addFault({ match: /\/snapshots/, kind: 'unavailable', times: 2 })
    const retries: string[] = []
    await runSync(
      deps(db, temp.dir, retries),
      { trigger: 'manual' },
      {
        signal: new AbortController().signal,
        gate: createPauseGate()
      }
    )
    expect(retries.length).toBe(2)
    const files = (readdirSync(temp.dir, { recursive: true }) as string[]).filter((f) =>
      f.includes('.')
    )
    for (const file of files)
      expect(readFileSync(join(temp.dir, file), 'utf8')).not.toContain(API_KEY)
    expect(retries.join('\n')).not.toContain(API_KEY)
    expect(JSON.stringify(db.prepare('SELECT * FROM sync_runs').all())).not.toContain(API_KEY)
  })

  it('a refused key fails the source with a reason, and the run says so', async () => {
    addSource()
    const summary = await runSync(
      { ...deps(), getKey: () => 'phx_wrong' },
      { trigger: 'manual' },
      { signal: new AbortController().signal, gate: createPauseGate() }
    )
    expect(summary.status).toBe('failed')
    expect(summary.runs[0].status).toBe('failed')
    expect(summary.runs[0].error).toMatch(/HTTP 401/)
    expect(summary.runs[0].error).not.toContain('phx_wrong')
  })
})
