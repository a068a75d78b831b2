import type { WritableDb } from '../db/types'
import type {
  SyncProgress,
  SyncRunInfo,
  SyncSummary,
  SyncTrigger
} from '@shared/contract/sync-channels'
import { importPaths as defaultImportPaths } from '../ingest/import-service'
import { syncFolderSource } from './folder-sync'
import { syncPostHogSource, type PostHogSyncOptions } from './posthog-sync'
import { createProgressTracker, type PauseGate } from './progress'
import {
  getSource,
  getSyncRun,
  insertSyncRun,
  listSources,
  markInterruptedSyncRuns,
  updateSourceSyncedAt,
  updateSyncRun,
  type SourceRecord
} from './source-queries'
import type { ImportPathsFn, SourceSyncResult } from './sync-context'

/** What to sync. */
export type SyncJob = {
  /** Sources to sync, in this order; all when omitted. */
  sourceIds?: number[]
  prune?: boolean
  trigger: SyncTrigger
  /** Folder sources: how long a file must be untouched before it is imported. */
  quietMs?: number
}

/** What a sync run depends on. Everything but `db` and `dataDir` has a default. */
export type SyncDeps = {
  db: WritableDb
  dataDir: string
  /** The PostHog key of a source (from the key store, or passed in by the main thread), or `null`. */
  getKey: (sourceId: number) => string | null
  now?: () => number
  importPaths?: ImportPathsFn
  /** PostHog tuning and HTTP options (tests shorten back-off waits here). */
  posthog?: Omit<PostHogSyncOptions, 'apiKey'>
}

export type SyncHooks = {
  signal: AbortSignal
  gate: PauseGate
  onProgress?: (progress: SyncProgress) => void
}

/** A finished sync, plus when deferred (still being written) folder files should be looked at again. */
export type SyncOutcome = SyncSummary & { retryAfterMs: number | null }

/**
 * Syncs sources one after another, logging each in `sync_runs`.
 *
 * A source that fails (folder gone, key refused, server down) is logged with its reason and the next one runs. A
 * cancel (the signal) stops at the next safe point: what was imported stays, and the next sync resumes. Never
 * throws for a source's failure; throws only for a bug or a broken cache.
 */
export async function runSync(
  deps: SyncDeps,
  job: SyncJob,
  hooks: SyncHooks
): Promise<SyncOutcome> {
  const now = deps.now ?? Date.now
  const { db } = deps
  const startedAtMs = now()
  markInterruptedSyncRuns(db, startedAtMs)
  const sources = selectSources(db, job.sourceIds)
  const runs: SyncRunInfo[] = []
  let retryAfterMs: number | null = null
  let status: SyncSummary['status'] = 'completed'

  for (const [index, source] of sources.entries()) {
    if (hooks.signal.aborted) {
      status = 'cancelled'
      break
    }
    const runId = insertSyncRun(db, source.id, job.trigger, now())
    const progress = createProgressTracker({
      sourceId: source.id,
      sourceName: source.name,
      sourcesDone: index,
      sourcesTotal: sources.length,
      unit: source.kind === 'folder' ? 'files' : 'recordings',
      isPaused: hooks.gate.isPaused,
      emit: (p) => hooks.onProgress?.(p),
      now
    })
    const context = {
      db,
      dataDir: deps.dataDir,
      now,
      signal: hooks.signal,
      gate: hooks.gate,
      progress,
      importPaths: deps.importPaths ?? defaultImportPaths
    }
    let result: SourceSyncResult | null = null
    let runStatus: SyncRunInfo['status'] = 'completed'
    let error: string | null = null
    try {
      if (source.kind === 'folder') {
        result = await syncFolderSource(context, source, {
          prune: job.prune ?? false,
          quietMs: job.quietMs
        })
      } else {
        const apiKey = deps.getKey(source.id)
        if (!apiKey)
          throw new Error('no API key is stored for this source; add it again with a key')
        result = await syncPostHogSource(context, source, { ...deps.posthog, apiKey })
      }
    } catch (caught) {
      if (hooks.signal.aborted) {
        runStatus = 'cancelled'
      } else {
        runStatus = 'failed'
        error = caught instanceof Error ? caught.message : String(caught)
      }
    }
    progress.flush()
    const snapshot = progress.snapshot()
    updateSyncRun(db, runId, {
      status: runStatus,
      finishedAtMs: now(),
      itemsTotal: result?.itemsTotal ?? snapshot.itemsTotal,
      itemsImported: result?.itemsImported ?? 0,
      itemsUnchanged: result?.itemsUnchanged ?? 0,
      itemsFailed: result?.itemsFailed ?? snapshot.itemsFailed,
      bytes: result?.bytes ?? snapshot.bytesDone,
      pruned: result?.pruned ?? 0,
      error,
      failures: result?.failures ?? []
    })
    if (runStatus === 'completed') updateSourceSyncedAt(db, source.id, now())
    if (result?.retryAfterMs != null)
      retryAfterMs = Math.min(retryAfterMs ?? Infinity, result.retryAfterMs)
    const run = getSyncRun(db, runId)
    if (run) runs.push(run)
    if (runStatus === 'cancelled') {
      status = 'cancelled'
      break
    }
    if (runStatus === 'failed') status = 'failed'
  }

  return {
    status,
    startedAtMs,
    finishedAtMs: now(),
    runs,
    hasChanges: runs.some((run) => run.itemsImported > 0 || run.pruned > 0),
    error: runs.find((run) => run.error)?.error ?? null,
    retryAfterMs
  }
}

function selectSources(db: WritableDb, ids: number[] | undefined): SourceRecord[] {
  if (!ids) return listSources(db)
  return ids.map((id) => getSource(db, id)).filter((s): s is SourceRecord => s !== undefined)
}
