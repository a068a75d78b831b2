import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ImportError, type ImportErrorCode } from './import-error'
import { importFile, type FileMessage, type FileResult } from './import-file'

/** Runs `importFile` for one file at a time per lane, on this thread or in worker threads. */
export type FileRunner = {
  concurrency: number
  run(path: string, sizeBytes: number, handle: (message: FileMessage) => Promise<void>): Promise<FileResult>
  close(): Promise<void>
}

/** Messages between the import service and an import worker. */
export type WorkerRequest = { type: 'run'; path: string; sizeBytes: number } | { type: 'ack' }
export type WorkerReply =
  | { type: 'message'; message: FileMessage }
  | { type: 'done'; result: FileResult }
  | { type: 'error'; name: string; code: ImportErrorCode | null; message: string }

/**
 * Creates a runner with `workers` worker threads (0: parse on this thread).
 *
 * Parsing, decompression and chunk compression happen in the workers; the caller's `handle` (the SQLite writes)
 * runs on this thread, and each worker waits for it between messages, so memory stays bounded.
 */
export async function createFileRunner(workers: number): Promise<FileRunner> {
  if (workers <= 0) {
    return { concurrency: 1, run: (path, size, handle) => importFile(path, size, handle), close: async () => {} }
  }
  const pool: PooledWorker[] = []
  try {
    for (let i = 0; i < workers; i++) pool.push(await PooledWorker.start())
  } catch {
    await Promise.all(pool.map((w) => w.close()))
    return createFileRunner(0)
  }
  return {
    concurrency: pool.length,
    async run(path, sizeBytes, handle) {
      const worker = pool.find((w) => !w.busy)
      if (!worker) throw new Error('no idle import worker (more lanes than workers)')
      return worker.run(path, sizeBytes, handle)
    },
    async close() {
      await Promise.all(pool.map((w) => w.close()))
    }
  }
}

/**
 * Where the worker's code is: the bundled file next to us, or (running from source) the TypeScript through a tsx
 * bootstrap. `TAPEDECK_IMPORT_WORKER` names a bundled worker explicitly (the benchmark uses the built app's).
 */
export function resolveWorkerUrl(moduleUrl: string = import.meta.url, env = process.env): URL {
  if (env.TAPEDECK_IMPORT_WORKER) return pathToFileURL(env.TAPEDECK_IMPORT_WORKER)
  return moduleUrl.endsWith('.ts')
    ? new URL('./import-worker-entry.mjs', moduleUrl)
    : new URL('./import-worker.js', moduleUrl)
}

class PooledWorker {
  busy = false
  private current: {
    handle: (message: FileMessage) => Promise<void>
    resolve: (result: FileResult) => void
    reject: (error: Error) => void
  } | null = null

  private constructor(private worker: Worker) {
    this.attach()
  }

  static async start(): Promise<PooledWorker> {
    const worker = new Worker(resolveWorkerUrl())
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve)
      worker.once('error', reject)
    })
    return new PooledWorker(worker)
  }

  private attach(): void {
    this.worker.on('message', (reply: WorkerReply) => void this.onReply(reply))
    this.worker.on('error', (error) => this.fail(new Error(`import worker crashed: ${error.message}`)))
    this.worker.on('exit', (code) => {
      if (this.current) this.fail(new Error(`import worker exited (code ${code})`))
    })
  }

  private async onReply(reply: WorkerReply): Promise<void> {
    const current = this.current
    if (!current) return
    if (reply.type === 'message') {
      try {
        await current.handle(reply.message)
        if (reply.message.type !== 'progress') this.worker.postMessage({ type: 'ack' } satisfies WorkerRequest)
      } catch (error) {
        this.fail(error as Error, true)
      }
      return
    }
    this.current = null
    this.busy = false
    if (reply.type === 'done') current.resolve(reply.result)
    else {
      const error = reply.code ? new ImportError(reply.code, reply.message) : new Error(reply.message)
      error.name = reply.name
      current.reject(error)
    }
  }

  /** The current file failed outside the worker's control: reject it and replace the worker. */
  private fail(error: Error, restart = true): void {
    const current = this.current
    this.current = null
    this.busy = false
    current?.reject(error)
    if (restart) {
      const old = this.worker
      old.removeAllListeners()
      void old.terminate()
      this.worker = new Worker(resolveWorkerUrl())
      this.attach()
    }
  }

  run(path: string, sizeBytes: number, handle: (message: FileMessage) => Promise<void>): Promise<FileResult> {
    this.busy = true
    return new Promise<FileResult>((resolve, reject) => {
      this.current = { handle, resolve, reject }
      this.worker.postMessage({ type: 'run', path, sizeBytes } satisfies WorkerRequest)
    })
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners()
    await this.worker.terminate()
  }
}
