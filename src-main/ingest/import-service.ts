import { createHash } from 'node:crypto'
import { createReadStream, type Stats } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { cpus } from 'node:os'
import { basename, extname, join, resolve } from 'node:path'
import type { WritableDb } from '../db/types'
import { toCacheError } from '../db/cache-errors'
import { getCacheTotals } from '../db/totals-queries'
import type { ImportFileOutcome, ImportProgress, ImportSummary } from '@shared/domain'
import { ImportError } from './import-error'
import type { FileMessage, FileResult } from './import-file'
import { createChangeSet, createImportStore, type ChangeSet } from './import-store'
import { queueRelink, relink, takeRelinkQueue } from './relink'
import { createFileRunner, type FileRunner } from './file-runner'

export type ImportOptions = {
  onProgress?: (progress: ImportProgress) => void
  signal?: AbortSignal
  /** Parse in worker threads (default: when the run is large enough to be worth it). 0 parses on this thread. */
  workers?: number
  /** Time source, for tests. */
  now?: () => number
}

type InputFile = { path: string; sizeBytes: number; mtimeMs: number }

/** File endings a folder walk picks up; a file named explicitly is tried whatever its name. */
const DATA_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.csv', '.txt'])
/** Files a folder walk leaves alone: dataset manifests (PostHog batch exports and our fixtures have one). */
const SKIPPED_NAMES = new Set(['manifest.json', 'package.json', 'package-lock.json'])
/** From this many bytes in two files or more, they are parsed in two worker threads while this thread writes. */
const PARALLEL_THRESHOLD_BYTES = 8 * 1024 * 1024
/**
 * A single file this large is parsed in one worker thread, its parse overlapping the writes: 100k events in one
 * 319 MB file took 5.9 s here, 4.7 s so. Below it, starting the worker costs what the overlap saves (64 MB: even).
 */
const SINGLE_FILE_WORKER_BYTES = 128 * 1024 * 1024

/**
 * Imports files and folders (recursively) of every supported format into the cache.
 *
 * Each file is written in one transaction: a file that fails leaves nothing behind and is reported with its reason;
 * the others are imported. A file already imported (same path, size and time, or same content) is reported as
 * unchanged. At the end, everything the run touched is relinked (persons, exceptions, search). Never throws for bad
 * input; throws only if the cache itself fails (a `CacheError` for a full disk or a read-only folder) or the run is
 * aborted.
 */
export async function importPaths(
  db: WritableDb,
  paths: readonly string[],
  options: ImportOptions = {}
): Promise<ImportSummary> {
  try {
    return await importPathsUnchecked(db, paths, options)
  } catch (error) {
    // A full disk or a read-only folder stops the run (each file committed so far is kept): say which.
    throw toCacheError(error, db.name) ?? error
  }
}

async function importPathsUnchecked(
  db: WritableDb,
  paths: readonly string[],
  options: ImportOptions
): Promise<ImportSummary> {
  const now = options.now ?? Date.now
  const startedAtMs = now()
  const outcomes: ImportFileOutcome[] = []
  const files: InputFile[] = []
  for (const input of paths) {
    const found = await expandPath(resolve(input), true)
    if (typeof found === 'string') outcomes.push(failedOutcome(resolve(input), found))
    else files.push(...found)
  }
  const seen = new Set<string>()
  const unique = files.filter((file) => (seen.has(file.path) ? false : (seen.add(file.path), true)))

  const log = createImportLog(db)
  const store = createImportStore(db)
  const changes = createChangeSet()
  const bytesTotal = unique.reduce((sum, file) => sum + file.sizeBytes, 0)
  const progress: ImportProgress = { filesDone: 0, filesTotal: unique.length, bytesDone: 0, bytesTotal, currentFile: null }
  const report = () => options.onProgress?.({ ...progress })

  // A file's hash is needed before its import only to find the same content under another name (a copy, a
  // re-download), and such a file has the same size as one already imported or as another file of this run. Every
  // other file is hashed by the parser while it reads it, rather than read twice.
  const changed = unique.filter((file) => {
    const unchanged = log.unchangedByStat(file)
    if (!unchanged) return true
    outcomes.push(log.recordUnchanged(file, null, now(), unchanged.previously === 'failed' ? unchanged.reason : null))
    progress.filesDone++
    progress.bytesDone += file.sizeBytes
    report()
    return false
  })
  const importedSizes = log.importedSizes()
  const runSizes = new Map<number, number>()
  for (const file of changed) runSizes.set(file.sizeBytes, (runSizes.get(file.sizeBytes) ?? 0) + 1)
  const toImport: (InputFile & { contentHash: string | null })[] = []
  for (const file of changed) {
    options.signal?.throwIfAborted()
    if (runSizes.get(file.sizeBytes) === 1 && !importedSizes.has(file.sizeBytes)) {
      toImport.push({ ...file, contentHash: null })
      continue
    }
    let contentHash: string
    try {
      contentHash = await hashFile(file.path)
    } catch (error) {
      outcomes.push(log.recordFailure(file, null, readFailure(error), now()))
      progress.filesDone++
      continue
    }
    if (log.isUnchangedByHash(contentHash)) {
      outcomes.push(log.recordUnchanged(file, contentHash, now()))
      progress.filesDone++
      progress.bytesDone += file.sizeBytes
      report()
      continue
    }
    toImport.push({ ...file, contentHash })
  }
  report()

  const importBytes = toImport.reduce((sum, file) => sum + file.sizeBytes, 0)
  const workerCount =
    options.workers ??
    (toImport.length > 1 && importBytes >= PARALLEL_THRESHOLD_BYTES
      ? Math.min(2, cpus().length)
      : toImport.length === 1 && importBytes >= SINGLE_FILE_WORKER_BYTES
        ? 1
        : 0)
  const runner = await createFileRunner(workerCount)
  let closing: Promise<void> | null = null
  const writeLock = createLock()
  try {
    // Largest first keeps both workers busy to the end.
    const queue = [...toImport].sort((a, b) => b.sizeBytes - a.sizeBytes)
    const runOne = async (file: (typeof queue)[number]) => {
      progress.currentFile = file.path
      const outcome = await importOneFile(db, store, log, runner, writeLock, file, changes, now, (bytes) => {
        progress.bytesDone += bytes
        report()
      })
      outcomes.push(outcome)
      progress.filesDone++
      report()
    }
    const lanes = Math.max(1, runner.concurrency)
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (;;) {
          if (options.signal?.aborted) return
          const file = queue.shift()
          if (!file) return
          await runOne(file)
        }
      })
    )
    options.signal?.throwIfAborted()
    // Every file is parsed: the workers wind down while the final relink runs.
    closing = runner.close()
    const release = await writeLock.acquire()
    try {
      // IMMEDIATE: the queue is read before anything is written, and a deferred transaction whose read snapshot
      // another process (a second import on the same data folder) moved past cannot upgrade to a write: SQLite
      // answers "database is locked" at once instead of waiting.
      db.transaction(() => {
        takeRelinkQueue(db, changes)
        relink(db, changes)
      }).immediate()
    } finally {
      release()
    }
  } finally {
    await (closing ?? runner.close())
  }

  const counted = { imported: 0, unchanged: 0, failed: 0 }
  for (const outcome of outcomes) counted[outcome.status]++
  progress.currentFile = null
  report()
  return {
    files: counted,
    outcomes,
    totals: getCacheTotals(db),
    bytesRead: progress.bytesDone,
    elapsedMs: now() - startedAtMs
  }
}

async function importOneFile(
  db: WritableDb,
  store: ReturnType<typeof createImportStore>,
  log: ImportLog,
  runner: FileRunner,
  writeLock: Lock,
  file: InputFile & { contentHash: string | null },
  changes: ChangeSet,
  now: () => number,
  onBytes: (bytes: number) => void
): Promise<ImportFileOutcome> {
  let release: (() => void) | null = null
  const counts = { recordings: 0, events: 0, persons: 0 }
  const fileChanges = createChangeSet()
  const warnings: string[] = []
  const storedIds: string[] = []
  const begin = async () => {
    if (release) return
    release = await writeLock.acquire()
    db.exec('BEGIN IMMEDIATE')
  }
  const handle = async (message: FileMessage) => {
    if (message.type === 'progress') {
      onBytes(message.bytes)
      return
    }
    await begin()
    if (message.type === 'recording') {
      const outcome = store.storeRecording(message.recording, { path: file.path, contentHash: file.contentHash }, fileChanges, now())
      counts.recordings++
      if (outcome !== 'kept') storedIds.push(message.recording.id)
      if (outcome === 'kept') {
        warnings.push(
          `the cache already holds an export of session ${message.recording.id} that is as complete or more; kept it`
        )
      }
    } else if (message.type === 'events') {
      store.storeEvents(message.events, message.exceptions, fileChanges)
      counts.events += message.events.length
    } else {
      store.storePersons(message.persons, fileChanges)
      counts.persons += message.persons.length
    }
  }

  let result: FileResult
  try {
    result = await runner.run(file.path, file.sizeBytes, handle)
  } catch (error) {
    const reason =
      error instanceof ImportError || isExpectedFailure(error)
        ? errorMessage(error)
        : (tooLargeReason(error) ?? `${INTERNAL_ERROR}${errorMessage(error)}`)
    if (release) {
      if (db.inTransaction) db.exec('ROLLBACK')
    } else {
      release = await writeLock.acquire()
    }
    try {
      // The disk or the folder failed, not the file: stop the run rather than blame every file that follows.
      const cacheError = toCacheError(error, db.name)
      if (cacheError) throw cacheError
      return log.recordFailure(file, file.contentHash, reason, now())
    } finally {
      ;(release as () => void)()
    }
  }
  try {
    await begin()
    const contentHash = file.contentHash ?? result.contentHash
    // Hashed before and after: a file rewritten in between (a download still being written) is said to be.
    if (file.contentHash !== null && file.contentHash !== result.contentHash) {
      warnings.push('the file changed while it was being imported; import it again to read the new content')
    }
    if (file.contentHash === null) log.setRecordingsHash(storedIds, contentHash)
    const outcome = log.recordImported(file, contentHash, result, counts, [...warnings, ...result.warnings], now(), fileChanges.distinctIds.size)
    // Queued in the same transaction: if the run dies before its final relink, the next run relinks this file's data.
    queueRelink(db, fileChanges)
    db.exec('COMMIT')
    mergeChanges(changes, fileChanges)
    return outcome
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw error
  } finally {
    ;(release as (() => void) | null)?.()
  }
}

function mergeChanges(into: ChangeSet, from: ChangeSet): void {
  for (const id of from.recordingIds) into.recordingIds.add(id)
  for (const id of from.sessionIds) into.sessionIds.add(id)
  for (const id of from.distinctIds) into.distinctIds.add(id)
}

function isExpectedFailure(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ImportError' || error.name === 'InvalidRecordError')
}

/**
 * The reason for a file that failed on a value too large for SQLite or for a JavaScript string: the file's fault,
 * not a bug, so it is named rather than reported as an internal error. Null for any other error.
 */
export function tooLargeReason(error: unknown): string | null {
  if (!(error instanceof Error)) return null
  if ((error as { code?: unknown }).code === 'SQLITE_TOOBIG') {
    return 'a value in the file is too large to store in the cache (SQLite: string or blob too big)'
  }
  if (error.name === 'RangeError' && /string length|string longer|too long/i.test(error.message)) {
    return `a value in the file is too large to handle (${error.message})`
  }
  return null
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

const INTERNAL_ERROR = 'internal error: '
const READ_FAILURES = {
  denied: 'permission denied: the file cannot be read',
  gone: 'the file disappeared before it could be read',
  folder: 'a folder, not a file',
  other: 'the file cannot be read'
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM') return READ_FAILURES.denied
  if (code === 'ENOENT') return READ_FAILURES.gone
  if (code === 'EISDIR') return READ_FAILURES.folder
  return `${READ_FAILURES.other} (${errorMessage(error)})`
}

/** A failure that was not the content's fault (the file could not be read, a bug): worth trying again. */
function isRetryableFailure(reason: string): boolean {
  return reason.startsWith(INTERNAL_ERROR) || Object.values(READ_FAILURES).some((prefix) => reason.startsWith(prefix))
}

function failedOutcome(file: string, reason: string): ImportFileOutcome {
  return { file, status: 'failed', kind: 'unknown', format: null, reason, warnings: [], recordings: 0, events: 0, persons: 0 }
}

/** The files under a path: itself if it is a file, the data files below it if it is a folder; a string on error. */
async function expandPath(path: string, explicit: boolean): Promise<InputFile[] | string> {
  let info: Stats
  try {
    info = await stat(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? 'no such file or folder' : readFailure(error)
  }
  if (info.isFile()) return [{ path, sizeBytes: info.size, mtimeMs: Math.floor(info.mtimeMs) }]
  if (!info.isDirectory()) return explicit ? 'not a regular file or folder' : []
  const files: InputFile[] = []
  const stack = [path]
  while (stack.length > 0) {
    const dir = stack.pop()!
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      continue
    }
    entries.sort((a, b) => a.name.localeCompare(b.name))
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) stack.push(full)
      else if (entry.isFile() && isDataFileName(entry.name)) {
        const found = await expandPath(full, false)
        if (typeof found !== 'string') files.push(...found)
      }
    }
  }
  return files
}

/** Whether a folder walk should import a file of this name. */
export function isDataFileName(name: string): boolean {
  const lower = basename(name).toLowerCase()
  if (SKIPPED_NAMES.has(lower)) return false
  const withoutGz = lower.endsWith('.gz') ? lower.slice(0, -3) : lower
  return DATA_EXTENSIONS.has(extname(withoutGz))
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

type Lock = { acquire(): Promise<() => void> }

/** A FIFO async mutex: one file writes at a time, so each file is one transaction. */
function createLock(): Lock {
  let tail: Promise<void> = Promise.resolve()
  return {
    acquire() {
      let release!: () => void
      const next = new Promise<void>((resolve) => (release = resolve))
      const ready = tail.then(() => release)
      tail = tail.then(() => next)
      return ready
    }
  }
}

type ImportLog = ReturnType<typeof createImportLog>

function createImportLog(db: WritableDb) {
  const byStat = db.prepare<[string, number, number], { status: string; reason: string | null }>(
    `SELECT status, reason FROM imports WHERE path = ? AND size_bytes = ? AND mtime_ms = ? AND status <> 'running'
     ORDER BY id DESC LIMIT 1`
  )
  const byHash = db.prepare<[string], { one: number }>(
    `SELECT 1 AS one FROM imports WHERE content_hash = ? AND status = 'imported' LIMIT 1`
  )
  const recordingHash = db.prepare(`UPDATE recordings SET content_hash = ? WHERE id = ?`)
  const importedSizes = db
    .prepare<[], number>(`SELECT DISTINCT size_bytes FROM imports WHERE status = 'imported'`)
    .pluck()
  const insert = db.prepare(`
    INSERT INTO imports (path, size_bytes, mtime_ms, content_hash, kind, format, status, reason, warnings,
                         recordings, events, persons, remapped_distinct_ids, started_at_ms, finished_at_ms)
    VALUES (@path, @sizeBytes, @mtimeMs, @contentHash, @kind, @format, @status, @reason, @warnings,
            @recordings, @events, @persons, @remapped, @nowMs, @nowMs)`)
  const lastKind = db.prepare<[string, string | null], { kind: string; format: string | null }>(
    `SELECT kind, format FROM imports WHERE (path = ? OR content_hash = ?) AND status = 'imported' ORDER BY id DESC LIMIT 1`
  )
  /** `remapped`: how many distinct ids the file mapped to a person anew (the analytics store update needs it). */
  const write = (outcome: ImportFileOutcome, file: InputFile, contentHash: string | null, nowMs: number, remapped = 0) => {
    insert.run({
      path: file.path,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
      contentHash,
      kind: outcome.kind,
      format: outcome.format,
      status: outcome.status,
      reason: outcome.reason,
      warnings: JSON.stringify(outcome.warnings),
      recordings: outcome.recordings,
      events: outcome.events,
      persons: outcome.persons,
      remapped,
      nowMs
    })
    return outcome
  }
  return {
    /**
     * The file is as it was at an earlier import (same path, size and modification time): `imported` when it was
     * read, `failed` with the reason when it was refused for its content (reading it again would fail the same
     * way), null when it is new or changed, or failed for a reason that may have passed (unreadable, internal).
     */
    unchangedByStat(file: InputFile): { previously: 'imported' } | { previously: 'failed'; reason: string } | null {
      const row = byStat.get(file.path, file.sizeBytes, file.mtimeMs)
      if (!row) return null
      if (row.status !== 'failed' && row.reason === null) return { previously: 'imported' }
      if (row.reason === null || isRetryableFailure(row.reason)) return null
      return { previously: 'failed', reason: row.reason }
    },
    /** Names the file the recordings came from by its hash once the parse has computed it. */
    setRecordingsHash(recordingIds: readonly string[], contentHash: string): void {
      for (const id of recordingIds) recordingHash.run(contentHash, id)
    },
    /** The sizes of the files imported before (a file of another size cannot hold the same content). */
    importedSizes(): Set<number> {
      return new Set(importedSizes.all())
    },
    isUnchangedByHash(contentHash: string): boolean {
      return byHash.get(contentHash) !== undefined
    },
    /** Records a file as unchanged; `failedReason` when what is unchanged is a file that was refused before. */
    recordUnchanged(file: InputFile, contentHash: string | null, nowMs: number, failedReason: string | null = null): ImportFileOutcome {
      const previous = lastKind.get(file.path, contentHash)
      return write(
        {
          file: file.path,
          status: 'unchanged',
          kind: (previous?.kind as ImportFileOutcome['kind']) ?? 'unknown',
          format: previous?.format ?? null,
          reason: failedReason,
          warnings: failedReason === null ? [] : [`unchanged since it failed to import: ${failedReason}`],
          recordings: 0,
          events: 0,
          persons: 0
        },
        file,
        contentHash,
        nowMs
      )
    },
    recordFailure(file: InputFile, contentHash: string | null, reason: string, nowMs: number): ImportFileOutcome {
      return write(failedOutcome(file.path, reason), file, contentHash, nowMs)
    },
    /** `remappedDistinctIds`: distinct ids the file mapped to a person for the first time or to another person. */
    recordImported(
      file: InputFile,
      contentHash: string,
      result: FileResult,
      counts: { recordings: number; events: number; persons: number },
      warnings: string[],
      nowMs: number,
      remappedDistinctIds: number
    ): ImportFileOutcome {
      return write(
        { file: file.path, status: 'imported', kind: result.kind, format: result.format, reason: null, warnings, ...counts },
        file,
        contentHash,
        nowMs,
        remappedDistinctIds
      )
    }
  }
}
