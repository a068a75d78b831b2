import Database from 'better-sqlite3'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { getCachePath } from '../core/data-dir'
import type { ReadableDb } from '../db/types'
import { dumpCacheContent } from '../sync/testing/cache-dump'
import { checkCache, fingerprintCache } from './cache-check'
import { parseImportJson, runTapedeck, startTapedeck, type CliRun } from './cli-process'

export type CrashTestOptions = {
  /** Files and folders to import. */
  paths: string[]
  /** Folder for the data folders of the runs (created; emptied first). */
  workDir: string
  /** How many SIGKILLs must land in a running import. */
  kills: number
  seed?: number
  /** Kills per data folder before the import is let finish and compared with the uninterrupted one. */
  killsPerCycle?: number
  /** `--workers` for the runs, by cycle (e.g. [0, 2] alternates); the default lets the importer choose. */
  workers?: (number | undefined)[]
  log?: (line: string) => void
}

export type KillRecord = {
  cycle: number
  atMs: number
  /** Files the import log showed as imported in this data folder right after the kill. */
  filesImported: number
  problems: string[]
}

export type CrashTestReport = {
  kills: KillRecord[]
  cycles: number
  referenceMs: number
  referenceFiles: number
  totals: { recordings: number; events: number; persons: number; chunks: number }
  /** Problems found by the cache checks after kills, and cache differences after the resumed imports. */
  problems: string[]
  elapsedMs: number
}

/**
 * Kill-and-resume test of `tapedeck import`: imports `paths` once uninterrupted (the reference), then, in fresh data
 * folders, starts the same import and SIGKILLs it after a random delay, again and again. After every kill the cache
 * must pass `checkCache` (SQLite integrity, every recording's chunks complete and replayable); after a few kills the
 * import is let finish, and the cache must then equal the reference table by table (`fingerprintCache`: recordings,
 * windows, segments, timeline items, chunk bytes, events, exceptions, persons, distinct ids, search rows; the import
 * log is left out). Runs until `kills` kills have landed in a running process.
 */
export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestReport> {
  const started = performance.now()
  const log = options.log ?? (() => undefined)
  const random = mulberry32(options.seed ?? 1)
  const killsPerCycle = options.killsPerCycle ?? 6
  const problems: string[] = []
  rmSync(options.workDir, { recursive: true, force: true })
  mkdirSync(options.workDir, { recursive: true })

  const referenceDir = join(options.workDir, 'reference')
  const reference = await runImport(options.paths, referenceDir, options.workers?.[0])
  if (reference.code !== 0) {
    throw new Error(
      `the uninterrupted import failed (exit ${reference.code}):\n${reference.stdout}\n${reference.stderr}`
    )
  }
  const referenceSummary = parseImportJson(reference)
  const { expected, totals } = withDb(referenceDir, (db) => {
    const check = checkCache(db)
    problems.push(...check.problems.map((p) => `reference: ${p}`))
    return {
      expected: fingerprintCache(db),
      totals: {
        recordings: referenceSummary.recordings,
        events: referenceSummary.events,
        persons: referenceSummary.persons,
        chunks: check.chunks
      }
    }
  })
  const referenceFiles = Math.max(1, referenceSummary.files.imported)
  const startupMs = (await runTapedeck(['stats', '--data', referenceDir, '--json'])).elapsedMs
  log(
    `reference: ${referenceSummary.files.imported} files, ${totals.recordings} recordings, ${totals.events} events, ` +
      `${totals.chunks} chunks in ${(reference.elapsedMs / 1000).toFixed(1)} s (CLI start-up ${Math.round(startupMs)} ms)`
  )

  const kills: KillRecord[] = []
  let cycle = 0
  while (kills.length < options.kills) {
    cycle++
    const dataDir = join(options.workDir, `cycle-${cycle}`)
    const workers = options.workers?.[(cycle - 1) % options.workers.length]
    // The time left in this folder's import, estimated from the reference and where earlier kills landed.
    let remainingMs = reference.elapsedMs
    let filesIn = 0
    let killsThisCycle = 0
    for (;;) {
      // Once every file is in, the rest of this folder's story is the plain rerun: let it finish and compare.
      const shouldKill =
        killsThisCycle < killsPerCycle && kills.length < options.kills && filesIn < referenceFiles
      const handle = startTapedeck(importArgs(options.paths, dataDir, workers))
      const startedAt = performance.now()
      let killed = false
      let trigger = ''
      if (shouldKill) {
        // Every other kill at a random time; the others once the import log reaches a random file count (then a
        // random few ms more), which lands them inside later files and in the final relink, not only in start-up.
        const byProgress = kills.length % 2 === 0
        const exited = byProgress
          ? await waitForFiles(
              handle.done,
              dataDir,
              filesIn + 1 + Math.floor(random() * (referenceFiles - filesIn)),
              random
            )
          : await Promise.race([
              handle.done.then(() => true),
              sleep(startupMs * 0.5 + random() * Math.max(50, remainingMs - startupMs * 0.5)).then(
                () => false
              )
            ])
        trigger = byProgress ? 'by progress' : 'by time'
        if (!exited) killed = handle.child.kill('SIGKILL')
      }
      const delayMs = performance.now() - startedAt
      const run = await handle.done
      if (run.signal === 'SIGKILL' && killed) {
        killsThisCycle++
        const record = inspectAfterKill(dataDir, cycle, delayMs)
        filesIn = record.filesImported
        kills.push(record)
        problems.push(
          ...record.problems.map(
            (p) => `kill ${kills.length} (cycle ${cycle}, ${Math.round(delayMs)} ms): ${p}`
          )
        )
        log(
          `kill ${kills.length}/${options.kills}: cycle ${cycle} at ${Math.round(delayMs)} ms (${trigger}), ` +
            `${record.filesImported} files in, ${record.problems.length === 0 ? 'cache ok' : `${record.problems.length} problems`}`
        )
        const left = 1 - record.filesImported / referenceFiles
        remainingMs = startupMs + Math.max(0.1, left) * (reference.elapsedMs - startupMs)
        continue
      }
      // The import ran to its end (it finished before the kill, or this run was meant to finish).
      if (run.code !== 0) {
        problems.push(
          `cycle ${cycle}: the resumed import exited ${run.code ?? run.signal}: ${run.stderr.slice(0, 500)}`
        )
        break
      }
      const summary = parseImportJson(run)
      const actual = withDb(dataDir, (db) => {
        problems.push(...checkCache(db).problems.map((p) => `cycle ${cycle} after resuming: ${p}`))
        return fingerprintCache(db)
      })
      const differences = Object.keys(expected).filter(
        (table) => expected[table as keyof typeof expected] !== actual[table as keyof typeof actual]
      )
      for (const table of differences) {
        const key = table as keyof typeof expected
        problems.push(
          `cycle ${cycle}: after ${killsThisCycle} kills and a rerun, ${table} differs from the uninterrupted import (${actual[key]} vs ${expected[key]})`
        )
      }
      log(
        `cycle ${cycle}: resumed after ${killsThisCycle} kills (${summary.files.imported} imported, ` +
          `${summary.files.unchanged} unchanged): ${differences.length === 0 ? 'same cache as the uninterrupted import' : `differs in ${differences.join(', ')}`}`
      )
      break
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  return {
    kills,
    cycles: cycle,
    referenceMs: reference.elapsedMs,
    referenceFiles: referenceSummary.files.imported,
    totals,
    problems,
    elapsedMs: performance.now() - started
  }
}

/**
 * Waits until the data folder's import log shows `target` imported files (read over a second connection, as the UI
 * would), then a random 0-120 ms more; true when the process exited first.
 */
async function waitForFiles(
  done: Promise<unknown>,
  dataDir: string,
  target: number,
  random: () => number
): Promise<boolean> {
  let exited = false
  void done.then(() => (exited = true))
  let reader: Database.Database | null = null
  try {
    while (!exited) {
      await sleep(15)
      if (reader === null) {
        if (!existsSync(getCachePath(dataDir))) continue
        try {
          reader = new Database(getCachePath(dataDir), { readonly: true, fileMustExist: true })
          reader.pragma('busy_timeout = 1000')
        } catch {
          reader = null
          continue
        }
      }
      let count = 0
      try {
        count = (
          reader
            .prepare(`SELECT count(DISTINCT path) AS n FROM imports WHERE status = 'imported'`)
            .get() as { n: number }
        ).n
      } catch {
        continue // not migrated yet, or busy
      }
      if (count >= target) {
        await sleep(random() * 120)
        return exited
      }
    }
    return true
  } finally {
    reader?.close()
  }
}

function importArgs(
  paths: readonly string[],
  dataDir: string,
  workers: number | undefined
): string[] {
  return [
    'import',
    ...paths,
    '--data',
    dataDir,
    '--json',
    ...(workers === undefined ? [] : ['--workers', String(workers)])
  ]
}

function runImport(
  paths: readonly string[],
  dataDir: string,
  workers: number | undefined
): Promise<CliRun> {
  return runTapedeck(importArgs(paths, dataDir, workers))
}

/** Opens the cache the way the app would after a crash (WAL recovery), checks it, and counts what got in. */
function inspectAfterKill(dataDir: string, cycle: number, atMs: number): KillRecord {
  if (!existsSync(getCachePath(dataDir))) return { cycle, atMs, filesImported: 0, problems: [] }
  return withDb(dataDir, (db) => {
    const filesImported = (
      db
        .prepare(`SELECT count(DISTINCT path) AS n FROM imports WHERE status = 'imported'`)
        .get() as { n: number }
    ).n
    return { cycle, atMs, filesImported, problems: checkCache(db).problems }
  })
}

/**
 * The first differing row of each table between two data folders' caches, for a failure message (the fingerprints
 * say that tables differ, this says how).
 */
export function describeCacheDifferences(dirA: string, dirB: string): string[] {
  const a = withDb(dirA, (db) => dumpCacheContent(db, dirA))
  const b = withDb(dirB, (db) => dumpCacheContent(db, dirB))
  const differences: string[] = []
  for (const table of Object.keys(a)) {
    const rowsA = a[table] ?? []
    const rowsB = b[table] ?? []
    if (JSON.stringify(rowsA) === JSON.stringify(rowsB)) continue
    const index = rowsA.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(rowsB[i]))
    const at = index === -1 ? rowsA.length : index
    differences.push(
      `${table} (${rowsA.length} vs ${rowsB.length} rows), first difference at row ${at}:\n` +
        `  ${JSON.stringify(rowsA[at]).slice(0, 600)}\n  ${JSON.stringify(rowsB[at]).slice(0, 600)}`
    )
  }
  return differences
}

/** Runs `body` on the data folder's cache, opened with a plain connection (no migration, no writes). */
export function withDb<T>(dataDir: string, body: (db: ReadableDb) => T): T {
  const db = new Database(getCachePath(dataDir)) as ReadableDb
  try {
    db.pragma('busy_timeout = 10000')
    return body(db)
  } finally {
    db.close()
  }
}

/** A small seeded PRNG (mulberry32), so a run can be repeated with its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
