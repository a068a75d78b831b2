/**
 * The fuzzer's import process: imports one malformed file per request into a cache that holds the seeds, and says
 * what happened. The parent (fuzz-runner.ts) bounds each case in time and restarts this process if it dies, so a
 * hang or a crash of the importer is recorded rather than taking the fuzzer down.
 */
import { copyFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { getCachePath } from '../core/data-dir'
import { openDatabase } from '../db/open-database'
import type { WritableDb } from '../db/types'
import { importPaths } from '../ingest/import-service'
import { checkCache, fingerprintCache } from './cache-check'

export type FuzzRequest =
  | { type: 'baseline'; dataDir: string; seedFiles: string[] }
  | { type: 'open'; dataDir: string }
  | { type: 'case'; id: number; file: string; workers: number; checkEvery: number }

export type FuzzReply =
  | { type: 'ready'; fingerprint: Record<string, string>; seedFailures: string[] }
  | {
      type: 'result'
      id: number
      status: 'imported' | 'unchanged' | 'failed' | 'threw'
      reason: string | null
      /** The cache's data tables differ from the seeds' afterwards. */
      changed: boolean
      problems: string[]
      elapsedMs: number
      rssBytes: number
    }

let db: WritableDb | null = null
let dataDir = ''
let baselineFingerprint: Record<string, string> = {}
let casesSinceCheck = 0

const cachePath = () => getCachePath(dataDir)
const baselinePath = () => join(dataDir, 'baseline.sqlite')

function send(reply: FuzzReply): void {
  process.send?.(reply)
}

/** Puts the seeds-only cache back (after a case that legitimately imported something). */
function restoreBaseline(): void {
  db?.close()
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${cachePath()}${suffix}`, { force: true })
  copyFileSync(baselinePath(), cachePath())
  db = openDatabase(cachePath())
}

async function handle(request: FuzzRequest): Promise<void> {
  if (request.type === 'baseline') {
    dataDir = request.dataDir
    db = openDatabase(cachePath())
    const summary = await importPaths(db, request.seedFiles, { workers: 0 })
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    copyFileSync(cachePath(), baselinePath())
    restoreBaseline()
    baselineFingerprint = fingerprintCache(db)
    const seedFailures = summary.outcomes
      .filter((o) => o.status !== 'imported')
      .map((o) => `${o.file}: ${o.status} ${o.reason ?? ''}`)
    send({ type: 'ready', fingerprint: baselineFingerprint, seedFailures })
    return
  }
  if (request.type === 'open') {
    dataDir = request.dataDir
    restoreBaseline()
    baselineFingerprint = fingerprintCache(db as WritableDb)
    send({ type: 'ready', fingerprint: baselineFingerprint, seedFailures: [] })
    return
  }
  const started = performance.now()
  const problems: string[] = []
  let status: 'imported' | 'unchanged' | 'failed' | 'threw'
  let reason: string | null = null
  try {
    const summary = await importPaths(db as WritableDb, [request.file], {
      workers: request.workers
    })
    const outcome = summary.outcomes[0]
    status = outcome?.status ?? 'threw'
    reason = outcome?.reason ?? null
  } catch (error) {
    status = 'threw'
    reason = error instanceof Error ? (error.stack ?? error.message) : String(error)
  }
  const after = fingerprintCache(db as WritableDb)
  const changed = Object.keys(baselineFingerprint).some(
    (table) => after[table as keyof typeof after] !== baselineFingerprint[table]
  )
  // A file that imported changed the cache on purpose: check it is sound, then go back to the seeds. Checks of an
  // unchanged cache are spaced out (they read every chunk).
  if (changed || ++casesSinceCheck >= request.checkEvery) {
    casesSinceCheck = 0
    problems.push(...checkCache(db as WritableDb).problems)
  }
  if (changed) restoreBaseline()
  send({
    type: 'result',
    id: request.id,
    status,
    reason,
    changed,
    problems,
    elapsedMs: performance.now() - started,
    rssBytes: process.memoryUsage().rss
  })
}

let queue: Promise<void> = Promise.resolve()
process.on('message', (request: FuzzRequest) => {
  queue = queue
    .then(() => handle(request))
    .catch((error: unknown) => {
      process.stderr.write(
        `fuzz child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
      )
      process.exit(70)
    })
})
process.on('disconnect', () => process.exit(0))
