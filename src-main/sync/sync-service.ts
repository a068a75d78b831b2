import { realpathSync, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { AppContext } from '../core/app-context'
import type {
  AddFolderSourceInput,
  AddPostHogSourceInput,
  AddSourceResult,
  SourceInfo,
  StartSyncOptions,
  StartSyncResult,
  SyncProgress,
  SyncState,
  SyncStatus,
  SyncSummary,
  SyncTrigger
} from '@shared/contract/sync-channels'
import { watchFolder, type FolderWatcher, type WatchFolderOptions } from './folder-watcher'
import { createHttpClient, HttpError } from './http-client'
import { createFileKeyStore, type KeyStore } from './key-store'
import { createPostHogApi } from './posthog-api'
import {
  deleteSource,
  findSource,
  getSource,
  insertSource,
  listLatestSyncRuns,
  listSources,
  type SourceRecord
} from './source-queries'
import { createWorkerExecutor, type RunningSync, type SyncExecutor } from './sync-executor'
import { acquireSyncLock, type SyncLock } from './sync-lock'
import type { SyncOutcome } from './sync-run'

export type SyncServiceOptions = {
  /** Where PostHog keys live: the desktop app passes a `safeStorage` store; default a 0600 file per source. */
  keyStore?: KeyStore
  /** The desktop app's folder picker; when set, `sources:add-folder` ignores any path from the renderer. */
  pickFolder?: () => Promise<string | null>
  /** How syncs run; default a worker thread per sync. */
  executor?: SyncExecutor
  /** better-sqlite3's `nativeBinding` for the default worker (else `TAPEDECK_NATIVE_BINDING`, else its own). */
  nativeBinding?: string
  /** Watch folder sources and sync them on change and at start (default: not in the CLI). */
  watch?: boolean
  watchOptions?: WatchFolderOptions
  /** Folder sources: how long a file must be untouched before it is imported. */
  quietMs?: number
  /** Check a new PostHog source's key with one list request before saving it (default true). */
  verifyPostHog?: boolean
  fetch?: typeof fetch
  now?: () => number
}

/** Sources and sync for one open cache: the object behind the `sources:*` and `sync:*` channels. */
export type SyncService = {
  listSources: () => SourceInfo[]
  addFolderSource: (input: AddFolderSourceInput) => Promise<AddSourceResult>
  addPostHogSource: (input: AddPostHogSourceInput) => Promise<AddSourceResult>
  removeSource: (id: number) => { ok: boolean }
  start: (options?: StartSyncOptions, trigger?: SyncTrigger) => StartSyncResult
  pause: () => SyncStatus
  resume: () => SyncStatus
  cancel: () => SyncStatus
  status: () => SyncStatus
  /** Resolves when no sync is running or queued (a deferred re-check of files still being written may follow). */
  whenIdle: () => Promise<void>
  dispose: () => void
}

const services = new WeakMap<AppContext, SyncService>()

/**
 * The sync service of an app context, created on first use with `options`.
 *
 * Shells that need a different key store or a folder picker (the desktop app) call this with their options before
 * `createApi(context)`; the handlers then find the same instance.
 */
export function getSyncService(context: AppContext, options: SyncServiceOptions = {}): SyncService {
  let service = services.get(context)
  if (!service) {
    service = createSyncService(context, options)
    services.set(context, service)
  }
  return service
}

/** Stops the context's watchers and any running sync (call before closing the context). */
export function disposeSyncService(context: AppContext): void {
  services.get(context)?.dispose()
  services.delete(context)
}

/**
 * Creates the sync service: source management, one sync at a time (a watch-triggered sync that arrives meanwhile is
 * queued), progress and `sync:finished` events, folder watchers.
 */
export function createSyncService(
  context: AppContext,
  options: SyncServiceOptions = {}
): SyncService {
  const { db } = context
  const now = options.now ?? Date.now
  const keyStore = options.keyStore ?? createFileKeyStore(context.dataDir)
  const executor =
    options.executor ??
    createWorkerExecutor({ dataDir: context.dataDir, nativeBinding: options.nativeBinding })
  const shouldWatch = options.watch ?? context.shell !== 'cli'
  const watchers = new Map<number, FolderWatcher>()
  const retryTimers = new Set<NodeJS.Timeout>()
  let state: SyncState = 'idle'
  let progress: SyncProgress | null = null
  let lastSummary: SyncSummary | null = null
  let running: RunningSync | null = null
  let lock: SyncLock | null = null
  let queued: { sourceIds: Set<number>; prune: boolean; trigger: SyncTrigger } | null = null
  let idleWaiters: (() => void)[] = []
  let disposed = false

  const status = (): SyncStatus => ({ state, progress, lastSummary })

  function toInfo(source: SourceRecord, runs = listLatestSyncRuns(db)): SourceInfo {
    return {
      ...source,
      hasKey: source.kind === 'posthog' ? keyStore.getKey(source.id) !== null : false,
      isWatched: watchers.has(source.id),
      lastRun: runs.get(source.id) ?? null
    }
  }

  function startWatcher(source: SourceRecord): void {
    if (!shouldWatch || disposed || source.kind !== 'folder' || watchers.has(source.id)) return
    try {
      const watcher = watchFolder(
        source.location,
        () => enqueue([source.id], 'watch'),
        options.watchOptions
      )
      watchers.set(source.id, watcher)
    } catch {
      // The folder is gone; its next sync says so.
    }
  }

  function enqueue(sourceIds: number[], trigger: SyncTrigger, prune = false): void {
    if (disposed) return
    if (state === 'idle') {
      start({ sourceIds, prune }, trigger)
      return
    }
    queued ??= { sourceIds: new Set(), prune: false, trigger }
    for (const id of sourceIds) queued.sourceIds.add(id)
    queued.prune ||= prune
  }

  function start(request: StartSyncOptions = {}, trigger: SyncTrigger = 'manual'): StartSyncResult {
    if (disposed || state !== 'idle') return { ok: false, reason: 'already-running' }
    const all = listSources(db)
    let sources = all
    if (request.sourceIds) {
      sources = all.filter((s) => request.sourceIds?.includes(s.id))
      if (sources.length !== new Set(request.sourceIds).size)
        return { ok: false, reason: 'unknown-source' }
    }
    if (sources.length === 0) return { ok: false, reason: 'no-sources' }
    lock = acquireSyncLock(context.dataDir)
    if (!lock) return { ok: false, reason: 'already-running' }
    const keys: Record<number, string> = {}
    for (const source of sources) {
      const key = source.kind === 'posthog' ? keyStore.getKey(source.id) : null
      if (key) keys[source.id] = key
    }
    state = 'running'
    progress = null
    running = executor(
      {
        sourceIds: sources.map((s) => s.id),
        prune: request.prune ?? false,
        trigger,
        quietMs: options.quietMs
      },
      keys,
      {
        onProgress(next) {
          progress = next
          context.emit('sync:progress', next)
        },
        onPausedChange(isPaused) {
          if (state === 'cancelling') return
          state = isPaused ? 'paused' : 'running'
          if (progress) {
            progress = { ...progress, isPaused }
            context.emit('sync:progress', progress)
          }
        }
      }
    )
    running.done.then(
      (outcome) => finish(outcome),
      (error: unknown) =>
        finish({
          status: 'failed',
          startedAtMs: now(),
          finishedAtMs: now(),
          runs: [],
          hasChanges: true,
          error: error instanceof Error ? error.message : String(error),
          retryAfterMs: null
        })
    )
    return { ok: true }
  }

  function finish(outcome: SyncOutcome): void {
    const { retryAfterMs, ...summary } = outcome
    lock?.release()
    lock = null
    running = null
    state = 'idle'
    lastSummary = summary
    context.emit('sync:finished', summary)
    if (retryAfterMs !== null && summary.status !== 'cancelled' && !disposed) {
      // Files still being written: look again once they should have settled.
      const ids = summary.runs.filter((r) => r.sourceId !== null).map((r) => r.sourceId as number)
      const timer = setTimeout(() => {
        retryTimers.delete(timer)
        enqueue(ids, 'watch')
      }, retryAfterMs + 50)
      timer.unref()
      retryTimers.add(timer)
    }
    const next = queued
    queued = null
    if (next && !disposed && summary.status !== 'cancelled') {
      const known = new Set(listSources(db).map((s) => s.id))
      const ids = [...next.sourceIds].filter((id) => known.has(id))
      if (ids.length > 0) start({ sourceIds: ids, prune: next.prune }, next.trigger)
    }
    if (state === 'idle') {
      const waiters = idleWaiters
      idleWaiters = []
      for (const wake of waiters) wake()
    }
  }

  async function addFolderSource(input: AddFolderSourceInput): Promise<AddSourceResult> {
    let path: string | null | undefined = input.path
    if (options.pickFolder) {
      path = await options.pickFolder()
      if (path === null) return { ok: false, reason: 'cancelled', message: 'No folder was chosen.' }
    }
    if (!path || path.trim() === '')
      return { ok: false, reason: 'invalid', message: 'Give the folder to watch.' }
    let location: string
    try {
      location = realpathSync(resolve(path.trim()))
      if (!statSync(location).isDirectory()) {
        return {
          ok: false,
          reason: 'not-a-folder',
          message: `${location} is a file, not a folder.`
        }
      }
    } catch {
      return {
        ok: false,
        reason: 'not-found',
        message: `There is no folder at ${resolve(path.trim())}.`
      }
    }
    if (findSource(db, 'folder', location, null)) {
      return { ok: false, reason: 'duplicate', message: `${location} is already a source.` }
    }
    const source = insertSource(
      db,
      { kind: 'folder', name: input.name?.trim() || basename(location) || location, location },
      now()
    )
    startWatcher(source)
    if (shouldWatch) enqueue([source.id], 'manual')
    return { ok: true, source: toInfo(source) }
  }

  async function addPostHogSource(input: AddPostHogSourceInput): Promise<AddSourceResult> {
    const host = normalizeHost(input.host)
    if (!host) {
      return {
        ok: false,
        reason: 'invalid',
        message: 'The host must be an http(s) address such as https://us.posthog.com.'
      }
    }
    const projectId = input.projectId.trim()
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) {
      return {
        ok: false,
        reason: 'invalid',
        message: 'The project id is the number in your project URL.'
      }
    }
    const apiKey = input.apiKey.trim()
    if (apiKey === '')
      return { ok: false, reason: 'invalid', message: 'A personal API key is required.' }
    if (findSource(db, 'posthog', host, projectId)) {
      return {
        ok: false,
        reason: 'duplicate',
        message: `Project ${projectId} on ${host} is already a source.`
      }
    }
    if (options.verifyPostHog !== false) {
      const failure = await verifyPostHogAccess(host, projectId, apiKey, options.fetch)
      if (failure) return failure
    }
    const source = insertSource(
      db,
      {
        kind: 'posthog',
        name: input.name?.trim() || `${new URL(host).hostname} · ${projectId}`,
        location: host,
        projectId,
        settings: {
          sinceMs: input.sinceMs ?? null,
          untilMs: input.untilMs ?? null,
          includeEvents: input.includeEvents ?? true,
          includePersons: input.includePersons ?? true
        }
      },
      now()
    )
    keyStore.setKey(source.id, apiKey)
    return { ok: true, source: toInfo(source) }
  }

  function removeSource(id: number): { ok: boolean } {
    const source = getSource(db, id)
    if (!source) return { ok: false }
    watchers.get(id)?.close()
    watchers.delete(id)
    if (queued) queued.sourceIds.delete(id)
    deleteSource(db, id)
    if (source.kind === 'posthog') keyStore.deleteKey(id)
    return { ok: true }
  }

  if (shouldWatch) {
    const folders = listSources(db).filter((s) => s.kind === 'folder')
    for (const folder of folders) startWatcher(folder)
    if (folders.length > 0)
      enqueue(
        folders.map((f) => f.id),
        'startup'
      )
  }

  return {
    listSources() {
      const runs = listLatestSyncRuns(db)
      return listSources(db).map((source) => toInfo(source, runs))
    },
    addFolderSource,
    addPostHogSource,
    removeSource,
    start,
    pause() {
      if (state === 'running' && running) {
        running.pause()
        // Paused from now on as far as callers are concerned; the sync stops at its next safe point.
        state = 'paused'
        if (progress) progress = { ...progress, isPaused: true }
      }
      return status()
    },
    resume() {
      if (state === 'paused' && running) {
        running.resume()
        state = 'running'
        if (progress) progress = { ...progress, isPaused: false }
      }
      return status()
    },
    cancel() {
      if (running && state !== 'idle') {
        state = 'cancelling'
        queued = null
        running.cancel()
      }
      return status()
    },
    status,
    whenIdle() {
      if (state === 'idle') return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
    dispose() {
      disposed = true
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
      for (const timer of retryTimers) clearTimeout(timer)
      retryTimers.clear()
      queued = null
      running?.cancel()
      const waiters = idleWaiters
      idleWaiters = []
      for (const wake of waiters) wake()
    }
  }
}

/** The origin of a PostHog host as typed by a user (`us.posthog.com/` → `https://us.posthog.com`), or `null`. */
export function normalizeHost(input: string): string | null {
  const trimmed = input.trim()
  if (trimmed === '') return null
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
    return url.origin
  } catch {
    return null
  }
}

/** One list request with the key: `null` when it works, else the failure to show. */
async function verifyPostHogAccess(
  host: string,
  projectId: string,
  apiKey: string,
  fetchImpl?: typeof fetch
): Promise<AddSourceResult | null> {
  const http = createHttpClient({
    fetch: fetchImpl,
    headers: { authorization: `Bearer ${apiKey}` },
    maxAttempts: 2,
    baseDelayMs: 500,
    maxDelayMs: 5_000,
    timeoutMs: 15_000
  })
  const api = createPostHogApi({ host, projectId }, http)
  try {
    const nowMs = Date.now()
    await api.listRecordings({
      dateFromMs: nowMs - 86_400_000,
      dateToMs: nowMs,
      limit: 1,
      offset: 0
    })
    return null
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      return {
        ok: false,
        reason: 'unauthorized',
        message:
          'PostHog refused the key. It needs the session_recording:read, query:read and person:read scopes.'
      }
    }
    if (error instanceof HttpError && error.status === 404) {
      return {
        ok: false,
        reason: 'invalid',
        message: `PostHog has no project ${projectId} on ${host}.`
      }
    }
    return {
      ok: false,
      reason: 'unreachable',
      message: `Could not reach ${host}: ${error instanceof Error ? error.message : String(error)}`
    }
  }
}
