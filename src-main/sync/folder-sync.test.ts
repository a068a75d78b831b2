import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { createTempDir, createTestDb, fixturePath } from '../test/test-db'
import type { WritableDb } from '../db/types'
import { importPaths } from '../ingest/import-service'
import { loadAcmePostHogData } from './testing/acme-posthog-data'
import { insertSource } from './source-queries'
import { listSourceFiles } from './source-state-queries'
import { runSync } from './sync-run'
import { createPauseGate } from './progress'
import { planFolderSync } from './folder-sync'

const ids = loadAcmePostHogData().recordings.map((r) => r.id)
const recordingFile = (id: string) => fixturePath('acme-small', 'recordings', `${id}.json`)

let temp: { dir: string; cleanup: () => void }
let folder: string
let db: WritableDb
let sourceId: number

beforeEach(() => {
  temp = createTempDir('tapedeck-folder-sync-')
  folder = join(temp.dir, 'exports')
  mkdirSync(join(folder, 'nested'), { recursive: true })
  db = createTestDb()
  sourceId = insertSource(db, { kind: 'folder', name: 'Exports', location: folder }, Date.now()).id
})

afterEach(() => {
  db.close()
  temp.cleanup()
})

/** Copies a fixture recording into the folder, dated `ageMs` ago (old enough to count as completely written). */
function put(id: string, name = `${id}.json`, ageMs = 60_000): string {
  const path = join(folder, name)
  copyFileSync(recordingFile(id), path)
  const at = new Date(Date.now() - ageMs)
  utimesSync(path, at, at)
  return path
}

async function sync(prune = false) {
  const summary = await runSync(
    {
      db,
      dataDir: temp.dir,
      getKey: () => null,
      importPaths: (d, paths, options) => importPaths(d, paths, { ...options, workers: 0 })
    },
    { trigger: 'manual', prune, quietMs: 2_000 },
    { signal: new AbortController().signal, gate: createPauseGate() }
  )
  return { summary, run: summary.runs[0] }
}

const recordingIds = () =>
  (db.prepare('SELECT id FROM recordings ORDER BY id').all() as { id: string }[]).map((r) => r.id)

describe('folder sync', () => {
  it('imports new files, then only new and changed ones, and prunes deleted ones on request', async () => {
    put(ids[0])
    put(ids[1], `nested/${ids[1]}.json`)
    writeFileSync(join(folder, 'notes.md'), 'not an export')
    let { run } = await sync()
    expect(run).toMatchObject({
      status: 'completed',
      itemsTotal: 2,
      itemsImported: 2,
      itemsFailed: 0
    })
    expect(recordingIds()).toEqual([ids[0], ids[1]].sort())

    put(ids[2])
    ;({ run } = await sync())
    expect(run).toMatchObject({ itemsTotal: 1, itemsImported: 1, itemsUnchanged: 2 })
    expect(recordingIds()).toEqual([ids[0], ids[1], ids[2]].sort())

    // Changed: the same name now holds another session (a newer export written over the old one).
    const changed = put(ids[3], `${ids[0]}.json`, 30_000)
    ;({ run } = await sync())
    expect(run).toMatchObject({ itemsTotal: 1, itemsImported: 1 })
    expect(recordingIds()).toContain(ids[3])
    expect(listSourceFiles(db, sourceId).get(changed)?.status).toBe('imported')

    // Deleted: kept in the cache until a sync is asked to prune.
    rmSync(join(folder, 'nested', `${ids[1]}.json`))
    ;({ run } = await sync())
    expect(run).toMatchObject({ itemsTotal: 0, pruned: 0 })
    expect(recordingIds()).toContain(ids[1])
    ;({ run } = await sync(true))
    expect(run.pruned).toBe(1)
    expect(recordingIds()).not.toContain(ids[1])
    expect(
      db.prepare('SELECT COUNT(*) AS n FROM snapshot_chunks WHERE recording_id = ?').get(ids[1])
    ).toEqual({ n: 0 })
    expect(
      db.prepare('SELECT COUNT(*) AS n FROM recording_items WHERE recording_id = ?').get(ids[1])
    ).toEqual({ n: 0 })

    // A pruned file put back is imported again, not skipped as already seen.
    put(ids[1], `nested/${ids[1]}.json`)
    ;({ run } = await sync())
    expect(run.itemsImported).toBe(1)
    expect(recordingIds()).toContain(ids[1])
  })

  it('leaves a file being written for later, and imports it once it is complete', async () => {
    const content = readFileSync(recordingFile(ids[4]))
    const path = join(folder, `${ids[4]}.json`)
    writeFileSync(path, content.subarray(0, Math.floor(content.length / 2)))

    let { run, summary } = await sync()
    expect(run).toMatchObject({ itemsTotal: 0, itemsImported: 0, itemsFailed: 0 })
    expect(summary.retryAfterMs).toBeGreaterThan(0)
    expect(summary.retryAfterMs).toBeLessThanOrEqual(2_000)
    expect(recordingIds()).toEqual([])

    appendFileSync(path, content.subarray(Math.floor(content.length / 2)))
    const settled = new Date(Date.now() - 5_000)
    utimesSync(path, settled, settled)
    ;({ run, summary } = await sync())
    expect(run).toMatchObject({ itemsTotal: 1, itemsImported: 1, itemsFailed: 0 })
    expect(summary.retryAfterMs).toBeNull()
    expect(recordingIds()).toEqual([ids[4]])
  })

  it('reports a file cut short by a stalled writer, and imports it when the writer finishes', async () => {
    const content = readFileSync(recordingFile(ids[5]))
    const path = join(folder, `${ids[5]}.json`)
    writeFileSync(path, content.subarray(0, Math.floor(content.length / 3)))
    const stalled = new Date(Date.now() - 60_000)
    utimesSync(path, stalled, stalled)

    let { run } = await sync()
    expect(run.itemsFailed).toBe(1)
    expect(run.failures[0].item).toBe(path)
    expect(run.failures[0].reason).toBeTruthy()
    expect(recordingIds()).toEqual([])

    // Unchanged since: not retried (and not reported again) until the file changes.
    ;({ run } = await sync())
    expect(run).toMatchObject({ itemsTotal: 0, itemsFailed: 0 })

    writeFileSync(path, content)
    const done = new Date(Date.now() - 10_000)
    utimesSync(path, done, done)
    ;({ run } = await sync())
    expect(run).toMatchObject({ itemsImported: 1, itemsFailed: 0 })
    expect(recordingIds()).toEqual([ids[5]])
  })

  it('fails the run with a reason when the folder is gone', async () => {
    rmSync(folder, { recursive: true })
    const { run, summary } = await sync()
    expect(summary.status).toBe('failed')
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/is not there/)
  })
})

describe('planFolderSync', () => {
  it('sorts files into ready, unsettled, unchanged and deleted', () => {
    const nowMs = 1_000_000
    const known = new Map([
      [
        '/f/same.json',
        {
          path: '/f/same.json',
          sizeBytes: 10,
          mtimeMs: 5,
          status: 'imported' as const,
          reason: null,
          syncedAtMs: 6
        }
      ],
      [
        '/f/grown.json',
        {
          path: '/f/grown.json',
          sizeBytes: 10,
          mtimeMs: 5,
          status: 'imported' as const,
          reason: null,
          syncedAtMs: 6
        }
      ],
      [
        '/f/gone.json',
        {
          path: '/f/gone.json',
          sizeBytes: 10,
          mtimeMs: 5,
          status: 'failed' as const,
          reason: 'x',
          syncedAtMs: 6
        }
      ]
    ])
    const plan = planFolderSync(
      [
        { path: '/f/same.json', sizeBytes: 10, mtimeMs: 5 },
        { path: '/f/grown.json', sizeBytes: 20, mtimeMs: nowMs - 100 },
        { path: '/f/new.json', sizeBytes: 30, mtimeMs: nowMs - 10_000 }
      ],
      known,
      nowMs,
      2_000
    )
    expect(plan).toEqual({
      ready: [{ path: '/f/new.json', sizeBytes: 30, mtimeMs: nowMs - 10_000 }],
      unsettled: [{ path: '/f/grown.json', sizeBytes: 20, mtimeMs: nowMs - 100 }],
      deleted: ['/f/gone.json'],
      unchanged: 1
    })
  })
})
