import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import type { ReadableDb, WritableDb } from '../db/types'
import { callAnalyticsMethod, createAnalyticsEngine, getWarmUpSteps } from './analytics-engine'
import {
  READY_ID,
  type AnalyticsReply,
  type AnalyticsRequest,
  type AnalyticsWorkerData
} from './analytics-client'
import { createSnapshotStore } from './store-snapshots'

/**
 * Worker thread: answers analytics queries over its own read-only connection, one at a time, so funnels and
 * session statistics over millions of events never block the thread that serves the UI.
 */
const port = parentPort
if (!port) throw new Error('analytics-worker must run in a worker thread')
const options = workerData as AnalyticsWorkerData
const db = new Database(options.dbFile, {
  readonly: true,
  fileMustExist: true,
  nativeBinding: options.nativeBinding
}) as unknown as ReadableDb
db.pragma('busy_timeout = 10000')
const engine = createAnalyticsEngine(db, { snapshots: createSnapshotStore(db, openSnapshotWriter) })

/**
 * A second connection, only for saving analytics snapshots. It waits briefly for the write lock: when an import
 * holds it, the snapshot is skipped (the next run rebuilds it) rather than stalling the queries behind it.
 */
function openSnapshotWriter(): WritableDb | null {
  try {
    const writer = new Database(options.dbFile, {
      fileMustExist: true,
      nativeBinding: options.nativeBinding
    }) as unknown as WritableDb
    writer.pragma('busy_timeout = 250')
    return writer
  } catch {
    return null
  }
}

port.on('message', (request: AnalyticsRequest) => {
  if (request.method === 'warmUp') warmUpInSteps(request.id)
  else answer(request.id, () => callAnalyticsMethod(engine, request.method, request.args))
})

function answer(id: number, run: () => unknown): void {
  let reply: AnalyticsReply
  try {
    reply = { id, ok: true, result: run() }
  } catch (error) {
    reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  port?.postMessage(reply)
}

/**
 * The warm-up one step per turn of the event loop: a request that comes in meanwhile (the user's funnel) is
 * answered after the step under way, not after the whole warm-up. A failed step ends the warm-up with its error.
 */
function warmUpInSteps(id: number): void {
  const steps = getWarmUpSteps(engine)
  const next = (i: number): void => {
    if (i === steps.length) {
      answer(id, () => ({ events: engine.getStore().timestampMs.length }))
      return
    }
    let again: unknown
    try {
      again = steps[i]()
    } catch (error) {
      answer(id, () => {
        throw error
      })
      return
    }
    setImmediate(() => next(again === true ? i : i + 1))
  }
  setImmediate(() => next(0))
}
port.postMessage({ id: READY_ID, ok: true, result: 'ready' } satisfies AnalyticsReply)
