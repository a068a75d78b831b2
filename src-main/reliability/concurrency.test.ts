import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getCachePath } from '../core/data-dir'
import { openDatabase } from '../db/open-database'
import { searchRecordings } from '../db/recording-queries'
import type { RecordingQuery } from '@shared/domain'
import { createTempDir, fixturePath } from '../test/test-db'
import { checkCache, fingerprintCache } from './cache-check'
import { parseImportJson, runTapedeck, startTapedeck } from './cli-process'
import { writeCrashDataset, type CrashDataset } from './crash-dataset'
import { describeCacheDifferences, withDb } from './crash-harness'

const ACME = fixturePath('acme-small')

let temp: ReturnType<typeof createTempDir>
let dataset: CrashDataset

beforeAll(async () => {
  temp = createTempDir('tapedeck-concurrency-')
  dataset = await writeCrashDataset({
    dir: join(temp.dir, 'dataset'),
    recordingBytes: 20_000_000,
    bytesPerRecording: 1_500_000,
    seed: 5
  })
}, 60_000)
afterAll(() => temp.cleanup())

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

describe('the cache shared by the UI and an import in another process', () => {
  it('keeps answering the recording list (p95 under 100 ms) while a large import runs', async () => {
    const dataDir = join(temp.dir, 'ui')
    expect((await runTapedeck(['import', ACME, '--data', dataDir, '--json'])).code).toBe(0)
    // The UI's own connection, opened the way the web host and the app open theirs.
    const ui = openDatabase(getCachePath(dataDir))
    const email =
      (ui
        .prepare(`SELECT email FROM persons WHERE email IS NOT NULL LIMIT 1`)
        .pluck()
        .get() as string) ?? 'x'
    const queries: RecordingQuery[] = [
      {},
      { text: email },
      { text: 'checkout' },
      { hasExceptions: true },
      { person: email },
      { minDurationMs: 30_000, sort: 'longest' },
      { sort: 'most-errors', limit: 100 },
      { urlContains: '/product/', offset: 20 }
    ]
    try {
      const before = searchRecordings(ui, {}).total
      const importing = startTapedeck(['import', ...dataset.paths, '--data', dataDir, '--json'])
      let finished = false
      void importing.done.then(() => (finished = true))
      const latenciesMs: number[] = []
      const totalsSeen = new Set<number>()
      for (let i = 0; !finished; i++) {
        const query = queries[i % queries.length] as RecordingQuery
        const started = performance.now()
        const page = searchRecordings(ui, query)
        latenciesMs.push(performance.now() - started)
        if (i % queries.length === 0) totalsSeen.add(page.total)
        await sleep(10)
      }
      const run = await importing.done
      const summary = parseImportJson(run)

      expect(run.code).toBe(0)
      expect(summary.files.failed).toBe(0)
      // The import really ran alongside: the list grew while it was being read.
      expect(totalsSeen.size).toBeGreaterThan(2)
      expect(searchRecordings(ui, {}).total).toBe(before + summary.files.imported - 2)
      console.info(
        `recording list during a ${summary.files.imported}-file import: ${latenciesMs.length} queries, ` +
          `p50 ${percentile(latenciesMs, 50).toFixed(1)} ms, p95 ${percentile(latenciesMs, 95).toFixed(1)} ms, ` +
          `max ${Math.max(...latenciesMs).toFixed(1)} ms`
      )
      expect(latenciesMs.length).toBeGreaterThan(50)
      expect(
        percentile(latenciesMs, 95),
        `latencies: ${latenciesMs.map(Math.round).join(' ')}`
      ).toBeLessThan(100)
    } finally {
      ui.close()
    }
  }, 120_000)

  it('stays sound when three processes import into the same new data folder at once', async () => {
    const sharedDir = join(temp.dir, 'shared')
    const referenceDir = join(temp.dir, 'reference')
    const first = [ACME, ...dataset.paths.slice(1)]
    const second = [
      dataset.paths[0] as string,
      join(ACME, 'recordings'),
      join(ACME, 'persons.jsonl')
    ]

    // Three at once made the final relink's read-then-write transaction fail with "database is locked" often
    // enough to see (it is now BEGIN IMMEDIATE).
    const runs = await Promise.all([
      runTapedeck(['import', ...first, '--data', sharedDir, '--json']),
      runTapedeck(['import', ...second, '--data', sharedDir, '--json']),
      runTapedeck(['import', ...second.slice().reverse(), ...first, '--data', sharedDir, '--json'])
    ])
    expect(
      runs.map((run) => run.code),
      runs.map((run) => run.stderr).join('\n')
    ).toEqual([0, 0, 0])
    expect(
      (await runTapedeck(['import', ...first, ...second, '--data', referenceDir, '--json'])).code
    ).toBe(0)

    const shared = withDb(sharedDir, (db) => ({
      check: checkCache(db),
      fingerprint: fingerprintCache(db)
    }))
    const reference = withDb(referenceDir, (db) => fingerprintCache(db))
    expect(shared.check.problems).toEqual([])
    if (JSON.stringify(shared.fingerprint) !== JSON.stringify(reference)) {
      expect.fail(describeCacheDifferences(sharedDir, referenceDir).join('\n'))
    }
  }, 120_000)
})

describe('processes opening one new data folder at the same moment', () => {
  it('all succeed: the schema is created once (it used to fail with "table imports already exists")', async () => {
    const child = fileURLToPath(new URL('./open-race-child.mjs', import.meta.url))
    const outcomes: string[] = []
    for (let round = 0; round < 3; round++) {
      const file = join(temp.dir, `race-${round}`, 'cache.sqlite')
      const at = Date.now() + 1000
      const runs = await Promise.all(
        Array.from(
          { length: 3 },
          () =>
            new Promise<string>((resolve) => {
              const process_ = spawn(process.execPath, [child, file, String(at)], {
                stdio: ['ignore', 'ignore', 'pipe']
              })
              let stderr = ''
              process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
              process_.on('close', (code) =>
                resolve(
                  code === 0
                    ? 'ok'
                    : `exit ${code}: ${stderr.trim().split('\n').slice(0, 6).join(' | ')}`
                )
              )
            })
        )
      )
      outcomes.push(...runs)
      const db = openDatabase(file)
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0)
      db.close()
    }
    expect(outcomes).toEqual(Array.from({ length: 9 }, () => 'ok'))
  }, 60_000)
})
