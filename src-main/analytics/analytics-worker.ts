import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import type { ReadableDb, WritableDb } from '../db/types'
import { callAnalyticsMethod, createAnalyticsEngine } from './analytics-engine'
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
  let reply: AnalyticsReply
  try {
    reply = {
      id: request.id,
      ok: true,
      result: callAnalyticsMethod(engine, request.method, request.args)
    }
  } catch (error) {
    reply = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error)
    }
  }
  port.postMessage(reply)
})
port.postMessage({ id: READY_ID, ok: true, result: 'ready' } satisfies AnalyticsReply)
