import { Worker } from 'node:worker_threads'
import { ANALYTICS_METHODS, type AnalyticsMethod, type AnalyticsService } from './analytics-engine'

/** What the analytics worker is started with. */
export type AnalyticsWorkerData = { dbFile: string; nativeBinding?: string }
export type AnalyticsRequest = { id: number; method: AnalyticsMethod; args: unknown[] }
/** The id of the message the worker sends once its connection is open. */
export const READY_ID = 0
export type AnalyticsReply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string }

/** Where the worker's code is: the TypeScript source through a tsx bootstrap, or the bundled file next to us. */
export function resolveAnalyticsWorkerUrl(moduleUrl: string = import.meta.url): URL {
  return moduleUrl.endsWith('.ts')
    ? new URL('./analytics-worker-entry.mjs', moduleUrl)
    : new URL('./analytics-worker.js', moduleUrl)
}

export type WorkerAnalyticsOptions = {
  /** The cache file; the worker opens its own read-only connection to it. */
  dbFile: string
  nativeBinding?: string
  workerUrl?: URL
  /** Used when the worker cannot start (the bundled worker file is missing, for instance). */
  fallback?: () => AnalyticsService
  /** Load the event store as soon as the worker is up, so the first funnel does not pay for it. */
  warmUp?: boolean
}

/**
 * The analytics service in a worker thread, started on first use and restarted after a crash.
 *
 * Requests are answered in order. The worker is unref'd: it never keeps the process alive.
 */
export function createWorkerAnalyticsService(options: WorkerAnalyticsOptions): AnalyticsService {
  let worker: Worker | null = null
  let starting: Promise<Worker | null> | null = null
  let fallback: AnalyticsService | null = null
  let nextId = READY_ID + 1
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >()

  const failAll = (error: Error): void => {
    for (const { reject } of pending.values()) reject(error)
    pending.clear()
  }

  const start = (): Promise<Worker | null> => {
    starting ??= new Promise<Worker | null>((resolve) => {
      const data: AnalyticsWorkerData = {
        dbFile: options.dbFile,
        nativeBinding: options.nativeBinding
      }
      let started: Worker
      try {
        started = new Worker(options.workerUrl ?? resolveAnalyticsWorkerUrl(), { workerData: data })
      } catch {
        resolve(null)
        return
      }
      started.unref()
      started.on('message', (reply: AnalyticsReply) => {
        if (reply.id === READY_ID) {
          resolve(started)
          return
        }
        const waiter = pending.get(reply.id)
        if (!waiter) return
        pending.delete(reply.id)
        if (reply.ok) waiter.resolve(reply.result)
        else waiter.reject(new Error(reply.message))
      })
      started.on('error', (error) => {
        resolve(null)
        failAll(new Error(`analytics worker failed: ${error.message}`))
      })
      started.on('exit', () => {
        resolve(null)
        if (worker === started) worker = null
        starting = null
        failAll(new Error('analytics worker exited'))
      })
    }).then((started) => {
      worker = started
      if (started === null) starting = null
      return started
    })
    return starting
  }

  const call = async (method: AnalyticsMethod, args: unknown[]): Promise<unknown> => {
    const running = worker ?? (await start())
    if (running === null) {
      if (!options.fallback) throw new Error('the analytics worker could not start')
      fallback ??= options.fallback()
      const fn = fallback[method] as (...rest: unknown[]) => Promise<unknown>
      return fn(...args)
    }
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      running.postMessage({ id, method, args } satisfies AnalyticsRequest)
    })
  }

  const service = {
    async close() {
      const running = worker
      worker = null
      starting = null
      failAll(new Error('analytics service closed'))
      if (running) await running.terminate()
      if (fallback) await fallback.close()
    }
  } as Record<string, unknown>
  for (const method of Object.keys(ANALYTICS_METHODS) as AnalyticsMethod[]) {
    service[method] = (...args: unknown[]) => call(method, args)
  }
  if (options.warmUp) void call('warmUp', []).catch(() => undefined)
  return service as AnalyticsService
}
