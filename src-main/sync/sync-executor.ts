import { Worker } from 'node:worker_threads'
import type { SyncProgress } from '@shared/contract/sync-channels'
import { createPauseGate } from './progress'
import { runSync, type SyncDeps, type SyncJob, type SyncOutcome } from './sync-run'

/** PostHog tuning that can cross a thread boundary (no callbacks). */
export type SerializablePostHogOptions = {
  pageSize?: number
  batchSize?: number
  concurrency?: number
  eventsPageSize?: number
  http?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; timeoutMs?: number }
}

export type SyncWorkerData = {
  dataDir: string
  nativeBinding?: string
  job: SyncJob
  /** The keys of the PostHog sources in the job, read by the main thread from its key store. */
  keys: Record<number, string>
  posthog?: SerializablePostHogOptions
}

export type SyncWorkerRequest = { type: 'pause' } | { type: 'resume' } | { type: 'cancel' }

export type SyncWorkerReply =
  | { type: 'progress'; progress: SyncProgress }
  | { type: 'paused'; isPaused: boolean }
  | { type: 'done'; outcome: SyncOutcome }
  | { type: 'error'; message: string }

/** A sync in flight, however it runs. */
export type RunningSync = {
  pause: () => void
  resume: () => void
  cancel: () => void
  done: Promise<SyncOutcome>
}

export type SyncExecutorHooks = {
  onProgress: (progress: SyncProgress) => void
  onPausedChange: (isPaused: boolean) => void
}

/** Starts a sync of `job`; `keys` holds the PostHog keys of the job's sources. */
export type SyncExecutor = (
  job: SyncJob,
  keys: Record<number, string>,
  hooks: SyncExecutorHooks
) => RunningSync

/** Where the worker's code is: the TypeScript source through a tsx bootstrap, or the bundled file next to us. */
export function resolveSyncWorkerUrl(moduleUrl: string = import.meta.url): URL {
  return moduleUrl.endsWith('.ts')
    ? new URL('./sync-worker-entry.mjs', moduleUrl)
    : new URL('./sync-worker.js', moduleUrl)
}

export type WorkerExecutorOptions = {
  dataDir: string
  nativeBinding?: string
  workerUrl?: URL
  posthog?: SerializablePostHogOptions
}

/**
 * Runs each sync in a worker thread with its own database connection (the desktop app and the web host).
 *
 * Cancel asks the worker to stop at its next safe point; if it has not finished 10 s later (stuck in a long
 * import), the thread is terminated, which is safe because every step commits or leaves nothing behind.
 */
export function createWorkerExecutor(options: WorkerExecutorOptions): SyncExecutor {
  return (job, keys, hooks) => {
    const data: SyncWorkerData = {
      dataDir: options.dataDir,
      nativeBinding: options.nativeBinding,
      job,
      keys,
      posthog: options.posthog
    }
    const worker = new Worker(options.workerUrl ?? resolveSyncWorkerUrl(), { workerData: data })
    let killTimer: NodeJS.Timeout | null = null
    let cancelled = false
    const done = new Promise<SyncOutcome>((resolve, reject) => {
      let settled = false
      worker.on('message', (reply: SyncWorkerReply) => {
        if (reply.type === 'progress') hooks.onProgress(reply.progress)
        else if (reply.type === 'paused') hooks.onPausedChange(reply.isPaused)
        else if (reply.type === 'done') {
          settled = true
          resolve(reply.outcome)
        } else {
          settled = true
          reject(new Error(reply.message))
        }
      })
      worker.on('error', (error) => {
        if (!settled) reject(error)
        settled = true
      })
      worker.on('exit', (code) => {
        if (killTimer) clearTimeout(killTimer)
        if (settled) return
        settled = true
        if (cancelled) resolve(cancelledOutcome())
        else reject(new Error(`the sync worker stopped unexpectedly (exit code ${code})`))
      })
    })
    return {
      pause: () => worker.postMessage({ type: 'pause' } satisfies SyncWorkerRequest),
      resume: () => worker.postMessage({ type: 'resume' } satisfies SyncWorkerRequest),
      cancel() {
        cancelled = true
        worker.postMessage({ type: 'cancel' } satisfies SyncWorkerRequest)
        killTimer ??= setTimeout(() => void worker.terminate(), 10_000)
      },
      done
    }
  }
}

function cancelledOutcome(): SyncOutcome {
  const now = Date.now()
  return {
    status: 'cancelled',
    startedAtMs: now,
    finishedAtMs: now,
    runs: [],
    hasChanges: true,
    error: null,
    retryAfterMs: null
  }
}

/**
 * Runs each sync on this thread (the CLI, which has no UI to keep responsive, and tests).
 */
export function createInProcessExecutor(deps: Omit<SyncDeps, 'getKey'>): SyncExecutor {
  return (job, keys, hooks) => {
    const controller = new AbortController()
    const gate = createPauseGate(hooks.onPausedChange)
    const done = runSync({ ...deps, getKey: (sourceId) => keys[sourceId] ?? null }, job, {
      signal: controller.signal,
      gate,
      onProgress: hooks.onProgress
    })
    return {
      pause: gate.pause,
      resume: gate.resume,
      cancel: () => controller.abort(new Error('cancelled')),
      done
    }
  }
}
