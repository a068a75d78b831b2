import { readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { SourceRecord } from './source-queries'
import type { SourceFileState } from './source-state-queries'
import { deleteSourceFiles, listSourceFiles, upsertSourceFiles } from './source-state-queries'
import type { SourceSyncContext, SourceSyncResult } from './sync-context'
import { addFailure, createSourceSyncResult } from './sync-context'
import { pruneDeletedFolderRecordings } from './prune'
import { isDataFileName } from '../ingest/import-service'

/** A file a folder scan found. */
export type ScannedFile = { path: string; sizeBytes: number; mtimeMs: number }

/** How long a file's mtime must be in the past before it counts as completely written. */
export const DEFAULT_QUIET_MS = 2_000

/** Files handed to the importer per call: small enough that pause and cancel answer quickly. */
const BATCH_MAX_FILES = 25
const BATCH_MAX_BYTES = 128 * 1024 * 1024

/** Names that download managers and editors use for files still being written. */
const IN_PROGRESS = /(\.(part|partial|tmp|temp|crdownload|download|swp)|~)$/i

/**
 * Whether a folder sync picks up a file of this name: what the importer's own folder walk takes (`isDataFileName`),
 * minus names of downloads in progress.
 */
export function isImportableFileName(name: string): boolean {
  return (
    !name.startsWith('.') &&
    !name.startsWith('~$') &&
    isDataFileName(name) &&
    !IN_PROGRESS.test(name)
  )
}

/**
 * Lists the importable files under `root`, recursively, skipping hidden files and folders.
 *
 * Files that vanish between the listing and the stat are left out (another program is moving them).
 */
export function scanFolderSync(root: string): ScannedFile[] {
  const files: ScannedFile[] = []
  const stack = [root]
  while (stack.length > 0) {
    const dir = stack.pop() as string
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        stack.push(path)
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isImportableFileName(entry.name)) {
        try {
          const stat = statSync(path)
          if (stat.isFile())
            files.push({ path, sizeBytes: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) })
        } catch {
          // Gone since the listing.
        }
      }
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path))
}

export type FolderPlan = {
  /** New or changed files that have been quiet long enough. */
  ready: ScannedFile[]
  /** New or changed files modified within the quiet period (still being written, perhaps). */
  unsettled: ScannedFile[]
  /** Files seen before that are no longer there. */
  deleted: string[]
  unchanged: number
}

/**
 * Compares a scan with what the source saw last time.
 *
 * A file is new or changed when its size or mtime differ from the stored ones. It is imported only once its mtime
 * is at least `quietMs` old: a writer appending to it keeps moving the mtime, so a file mid-copy is left for later.
 * If a writer stalls for longer than that, the partial file is imported (and probably fails); when the writer
 * resumes, size and mtime change and the file is imported again.
 */
export function planFolderSync(
  scan: readonly ScannedFile[],
  known: ReadonlyMap<string, SourceFileState>,
  nowMs: number,
  quietMs = DEFAULT_QUIET_MS
): FolderPlan {
  const plan: FolderPlan = { ready: [], unsettled: [], deleted: [], unchanged: 0 }
  const seen = new Set<string>()
  for (const file of scan) {
    seen.add(file.path)
    const previous = known.get(file.path)
    if (previous && previous.sizeBytes === file.sizeBytes && previous.mtimeMs === file.mtimeMs) {
      plan.unchanged++
      continue
    }
    const ageMs = nowMs - file.mtimeMs
    if (ageMs >= 0 && ageMs < quietMs) plan.unsettled.push(file)
    else plan.ready.push(file)
  }
  for (const path of known.keys()) if (!seen.has(path)) plan.deleted.push(path)
  return plan
}

/** Splits files into importer batches by count and bytes. */
export function batchFiles(files: readonly ScannedFile[]): ScannedFile[][] {
  const batches: ScannedFile[][] = []
  let current: ScannedFile[] = []
  let bytes = 0
  for (const file of files) {
    if (
      current.length > 0 &&
      (current.length >= BATCH_MAX_FILES || bytes + file.sizeBytes > BATCH_MAX_BYTES)
    ) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(file)
    bytes += file.sizeBytes
  }
  if (current.length > 0) batches.push(current)
  return batches
}

export type FolderSyncOptions = {
  prune: boolean
  quietMs?: number
}

/**
 * Syncs a watched folder: imports new and changed files in batches, forgets deleted ones, and with `prune` removes
 * their recordings from the cache.
 *
 * Each batch's outcomes are stored as soon as the importer returns, so a cancelled or crashed sync resumes with
 * the files it had not reached (the importer itself skips files it already has).
 */
export async function syncFolderSource(
  context: SourceSyncContext,
  source: SourceRecord,
  options: FolderSyncOptions
): Promise<SourceSyncResult> {
  const { db, progress, signal } = context
  const result = createSourceSyncResult()
  const root = resolve(source.location)
  progress.setPhase('scanning')
  let isFolder = false
  try {
    isFolder = statSync(root).isDirectory()
  } catch {
    isFolder = false
  }
  if (!isFolder)
    throw new Error(`the folder ${root} is not there (moved, deleted or on a drive not mounted)`)

  const quietMs = options.quietMs ?? DEFAULT_QUIET_MS
  const scan = scanFolderSync(root)
  const plan = planFolderSync(scan, listSourceFiles(db, source.id), context.now(), quietMs)
  result.itemsTotal = plan.ready.length
  result.itemsUnchanged = plan.unchanged
  result.deferred = plan.unsettled.length
  if (plan.unsettled.length > 0) {
    const newestMs = Math.max(...plan.unsettled.map((f) => f.mtimeMs))
    result.retryAfterMs = Math.max(100, newestMs + quietMs - context.now())
  }
  if (plan.deleted.length > 0) deleteSourceFiles(db, source.id, plan.deleted)

  progress.setTotal(plan.ready.length)
  progress.setPhase('importing')
  for (const batch of batchFiles(plan.ready)) {
    await context.gate.wait(signal)
    signal.throwIfAborted()
    progress.setCurrentItem(batch[0].path)
    let bytesBefore = 0
    const summary = await context.importPaths(
      db,
      batch.map((f) => f.path),
      {
        signal,
        onProgress: (p) => {
          progress.addBytes(p.bytesDone - bytesBefore)
          bytesBefore = p.bytesDone
          progress.setCurrentItem(p.currentFile)
        }
      }
    )
    const byPath = new Map(summary.outcomes.map((o) => [resolve(o.file), o]))
    const syncedAtMs = context.now()
    const states: SourceFileState[] = []
    let failed = 0
    for (const file of batch) {
      const outcome = byPath.get(file.path)
      const status = outcome?.status ?? 'failed'
      const reason = outcome ? outcome.reason : 'the importer did not report on this file'
      states.push({ ...file, status, reason, syncedAtMs })
      if (status === 'failed') {
        failed++
        addFailure(result, { item: file.path, reason: reason ?? 'import failed' })
      } else if (status === 'imported') {
        result.itemsImported++
      } else {
        result.itemsUnchanged++
      }
    }
    upsertSourceFiles(db, source.id, states)
    result.bytes += batch.reduce((sum, f) => sum + f.sizeBytes, 0)
    progress.addBytes(Math.max(0, batch.reduce((sum, f) => sum + f.sizeBytes, 0) - bytesBefore))
    progress.addItems(batch.length, failed)
  }

  if (options.prune) {
    progress.setPhase('pruning')
    result.pruned = pruneDeletedFolderRecordings(db, root)
  }
  progress.setCurrentItem(null)
  return result
}
