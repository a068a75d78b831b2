import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ImportError, type ImportErrorCode } from './import-error'
import { importFile, type FileMessage, type FileResult } from './import-file'

/** Runs `importFile` for one file at a time per lane, on this thread or in worker threads. */
export type FileRunner = {
  /** How many files may be in flight at once (the number of lanes the caller should run). */
  concurrency: number
  run(
    path: string,
    sizeBytes: number,
    handle: (message: FileMessage) => Promise<void>
  ): Promise<FileResult>
  close(): Promise<void>
}

/** Messages between the import service and an import worker; `id` names one file's run. */
export type WorkerRequest =
  | { type: 'run'; id: number; path: string; sizeBytes: number }
  | { type: 'ack' }
  | { type: 'cancel'; id: number }
export type WorkerReply =
  | { type: 'started'; id: number }
  | { type: 'message'; id: number; message: FileMessage }
  | { type: 'done'; id: number; result: FileResult }
  | { type: 'error'; id: number; name: string; code: ImportErrorCode | null; message: string }

/**
 * How many messages (prepared recordings, event batches) a worker may send before the writer has stored them.
 * Two lets a worker parse the next recording while the writer stores the last one, and bounds the memory held in
 * messages nobody has stored yet.
 */
export const UNACKED_MESSAGES = 2

/** Files queued per worker: the next one starts as soon as the last is parsed, not when it is committed. */
const RUNS_PER_WORKER = 2

/**
 * Creates a runner with `workers` worker threads (0: parse on this thread).
 *
 * Parsing, decompression and chunk compression happen in the workers; the caller's `handle` (the SQLite writes)
 * runs on this thread, one message at a time per worker and in the order sent, and a worker that is
 * `UNACKED_MESSAGES` ahead of the writer waits, so memory stays bounded.
 */
export async function createFileRunner(workers: number): Promise<FileRunner> {
  if (workers <= 0) {
    return {
      concurrency: 1,
      run: (path, size, handle) => importFile(path, size, handle),
      close: async () => {}
    }
  }
  // Started together: each takes a while to boot (an isolate, Node, the worker's code) before the first file.
  const started = await Promise.allSettled(Array.from({ length: workers }, () => PooledWorker.start()))
  const pool = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  if (pool.length < workers) {
    await Promise.all(pool.map((w) => w.close()))
    return createFileRunner(0)
  }
  return {
    concurrency: pool.length * RUNS_PER_WORKER,
    async run(path, sizeBytes, handle) {
      const worker = pool.reduce((best, w) => (w.inFlight < best.inFlight ? w : best))
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

type Run = {
  id: number
  path: string
  sizeBytes: number
  started: boolean
  handle: (message: FileMessage) => Promise<void>
  resolve: (result: FileResult) => void
  reject: (error: Error) => void
}

class PooledWorker {
  private readonly runs = new Map<number, Run>()
  private nextId = 1
  /** Replies are handled one after another: a file's messages are stored in order, and before its `done`. */
  private replies: Promise<void> = Promise.resolve()

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

  get inFlight(): number {
    return this.runs.size
  }

  run(
    path: string,
    sizeBytes: number,
    handle: (message: FileMessage) => Promise<void>
  ): Promise<FileResult> {
    return new Promise<FileResult>((resolve, reject) => {
      const run: Run = {
        id: this.nextId++,
        path,
        sizeBytes,
        started: false,
        handle,
        resolve,
        reject
      }
      this.runs.set(run.id, run)
      this.send(run)
    })
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners()
    await this.worker.terminate()
  }

  private send(run: Run): void {
    this.worker.postMessage({
      type: 'run',
      id: run.id,
      path: run.path,
      sizeBytes: run.sizeBytes
    } satisfies WorkerRequest)
  }

  private attach(): void {
    const worker = this.worker
    worker.on('message', (reply: WorkerReply) => {
      this.replies = this.replies.then(() => this.onReply(reply, worker))
    })
    worker.on('error', (error) => this.crashed(worker, `import worker crashed: ${error.message}`))
    worker.on('exit', (code) => this.crashed(worker, `import worker exited (code ${code})`))
  }

  /** `from`: the worker that sent the reply; answers go to it, not to a replacement started since it crashed. */
  private async onReply(reply: WorkerReply, from: Worker): Promise<void> {
    const run = this.runs.get(reply.id)
    if (reply.type === 'started') {
      if (run) run.started = true
      return
    }
    if (reply.type === 'message') {
      const needsAck = reply.message.type !== 'progress'
      // A run that already failed here (its store threw) is being cancelled: its late messages are only acked.
      if (run) {
        try {
          await run.handle(reply.message)
        } catch (error) {
          this.runs.delete(run.id)
          from.postMessage({ type: 'cancel', id: run.id } satisfies WorkerRequest)
          run.reject(error as Error)
        }
      }
      if (needsAck) from.postMessage({ type: 'ack' } satisfies WorkerRequest)
      return
    }
    if (!run) return
    this.runs.delete(run.id)
    if (reply.type === 'done') run.resolve(reply.result)
    else {
      const error = reply.code
        ? new ImportError(reply.code, reply.message)
        : new Error(reply.message)
      error.name = reply.name
      run.reject(error)
    }
  }

  /**
   * The worker died (out of memory on a hostile file, a native crash): the file it was parsing fails with the
   * reason, and files queued behind it go to a fresh worker.
   */
  private crashed(worker: Worker, reason: string): void {
    if (worker !== this.worker) return
    worker.removeAllListeners()
    void worker.terminate()
    this.worker = new Worker(resolveWorkerUrl())
    this.replies = Promise.resolve()
    this.attach()
    for (const run of [...this.runs.values()]) {
      if (run.started) {
        this.runs.delete(run.id)
        run.reject(new Error(reason))
      } else this.send(run)
    }
  }
}
