import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/open-database'
import { searchRecordings } from '../db/recording-queries'
import type { WritableDb } from '../db/types'
import { fingerprintCache } from '../reliability/cache-check'
import { createTempDir, fixturePath } from '../test/test-db'
import { importPaths } from './import-service'

const ACME = fixturePath('acme-small')
const FILES = [
  join(ACME, 'persons.jsonl'),
  join(ACME, 'events.jsonl'),
  join(ACME, 'recordings', '01a13124-d4cc-7a14-ba04-ef75b6b46018.json'),
  join(ACME, 'recordings', '01a12f23-f12d-796a-aedc-e9656928f7dd.json'),
  // Its console error and its $exception event have the same timestamp.
  join(ACME, 'recordings', '01a153d0-e1e5-7eb4-92ee-2d5c74f38576.json')
]

let temp: ReturnType<typeof createTempDir>
const open: WritableDb[] = []

function openCache(name: string): WritableDb {
  const db = openDatabase(join(temp.dir, name, 'cache.sqlite'))
  open.push(db)
  return db
}

beforeEach(() => {
  temp = createTempDir('tapedeck-relink-queue-')
})
afterEach(() => {
  for (const db of open.splice(0)) db.close()
  temp.cleanup()
})

describe('a run stopped between its files and its relink', () => {
  it('leaves the work queued, and the next run (every file unchanged) relinks it to the uninterrupted result', async () => {
    const reference = openCache('reference')
    await importPaths(reference, FILES, { workers: 0 })

    const db = openCache('stopped')
    const controller = new AbortController()
    // Every file is committed, then the run is cancelled before its final relink (as a kill there would leave it).
    await expect(
      importPaths(db, FILES, {
        workers: 0,
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.filesDone === FILES.length) controller.abort()
        }
      })
    ).rejects.toThrow()
    expect(db.prepare(`SELECT count(*) FROM imports WHERE status = 'imported'`).pluck().get()).toBe(
      FILES.length
    )
    expect(db.prepare(`SELECT count(*) FROM relink_queue`).pluck().get()).toBeGreaterThan(0)
    expect(db.prepare(`SELECT count(*) FROM recordings_fts`).pluck().get()).toBe(0)

    const rerun = await importPaths(db, FILES, { workers: 0 })

    expect(rerun.files).toEqual({ imported: 0, unchanged: FILES.length, failed: 0 })
    expect(db.prepare(`SELECT count(*) FROM relink_queue`).pluck().get()).toBe(0)
    expect(fingerprintCache(db)).toEqual(fingerprintCache(reference))
    const withException = searchRecordings(db, { hasExceptions: true })
    expect(withException.recordings.map((r) => r.id)).toEqual(
      searchRecordings(reference, { hasExceptions: true }).recordings.map((r) => r.id)
    )
    expect(withException.total).toBeGreaterThan(0)
  })
})

describe('the same files imported in another order', () => {
  it('give the same cache, search documents included', async () => {
    const forward = openCache('forward')
    for (const file of FILES) await importPaths(forward, [file], { workers: 0 })
    const backward = openCache('backward')
    for (const file of [...FILES].reverse()) await importPaths(backward, [file], { workers: 0 })

    expect(fingerprintCache(backward)).toEqual(fingerprintCache(forward))
  })
})
