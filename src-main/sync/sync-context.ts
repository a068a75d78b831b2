import type { WritableDb } from '../db/types'
import type { ImportProgress, ImportSummary } from '@shared/domain'
import type { SyncFailure } from '@shared/contract/sync-channels'
import type { PauseGate, ProgressTracker } from './progress'

/** The importer's entry point (`importPaths` in src-main/ingest/import-service.ts), injectable for tests. */
export type ImportPathsFn = (
  db: WritableDb,
  paths: string[],
  options?: { onProgress?: (progress: ImportProgress) => void; signal?: AbortSignal }
) => Promise<ImportSummary>

/** What a source's sync needs from the run around it. */
export type SourceSyncContext = {
  db: WritableDb
  dataDir: string
  now: () => number
  signal: AbortSignal
  gate: PauseGate
  progress: ProgressTracker
  importPaths: ImportPathsFn
}

/** What one source's sync did. */
export type SourceSyncResult = {
  itemsTotal: number
  itemsImported: number
  itemsUnchanged: number
  itemsFailed: number
  bytes: number
  pruned: number
  failures: SyncFailure[]
  /** Folder files skipped because they were still being written; a later sync picks them up. */
  deferred: number
  /** Milliseconds after which deferred files should be stable, or `null` when nothing was deferred. */
  retryAfterMs: number | null
}

/** An empty result to add to. */
export function createSourceSyncResult(): SourceSyncResult {
  return {
    itemsTotal: 0,
    itemsImported: 0,
    itemsUnchanged: 0,
    itemsFailed: 0,
    bytes: 0,
    pruned: 0,
    failures: [],
    deferred: 0,
    retryAfterMs: null
  }
}

/** Failures kept per run: enough to act on, bounded so a broken folder cannot bloat the log. */
export const MAX_FAILURES_KEPT = 200

export function addFailure(result: SourceSyncResult, failure: SyncFailure): void {
  result.itemsFailed++
  if (result.failures.length < MAX_FAILURES_KEPT) result.failures.push(failure)
}
