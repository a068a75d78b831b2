import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '../db/open-database'
import { getCachePath } from '../core/data-dir'
import { createPauseGate } from './progress'
import { runSync } from './sync-run'
import type { SyncWorkerData, SyncWorkerReply, SyncWorkerRequest } from './sync-executor'

/**
 * Worker thread: runs one sync on its own connection to the cache, so the UI thread (Electron main, the web host)
 * stays responsive. Takes pause / resume / cancel messages and reports progress and the outcome.
 */
const port = parentPort
if (!port) throw new Error('sync-worker must run in a worker thread')

const input = workerData as SyncWorkerData
const send = (reply: SyncWorkerReply) => port.postMessage(reply)
const controller = new AbortController()
const gate = createPauseGate((isPaused) => send({ type: 'paused', isPaused }))

port.on('message', (request: SyncWorkerRequest) => {
  if (request.type === 'pause') gate.pause()
  else if (request.type === 'resume') gate.resume()
  else if (request.type === 'cancel') controller.abort(new Error('cancelled'))
})

// The Electron shell announces its Electron-ABI build of better-sqlite3 in the environment, which workers share.
const db = openDatabase(getCachePath(input.dataDir), {
  nativeBinding: input.nativeBinding ?? process.env.TAPEDECK_NATIVE_BINDING
})
try {
  const outcome = await runSync(
    {
      db,
      dataDir: input.dataDir,
      getKey: (sourceId) => input.keys[sourceId] ?? null,
      posthog: input.posthog
    },
    input.job,
    {
      signal: controller.signal,
      gate,
      onProgress: (progress) => send({ type: 'progress', progress })
    }
  )
  send({ type: 'done', outcome })
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) })
} finally {
  db.close()
  port.close()
}
