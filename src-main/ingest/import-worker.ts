import { parentPort, type TransferListItem } from 'node:worker_threads'
import { ImportError } from './import-error'
import { importFile, type FileMessage } from './import-file'
import { UNACKED_MESSAGES, type WorkerReply, type WorkerRequest } from './file-runner'

/**
 * Worker thread: imports the files the service sends, one at a time in the order sent, and stays at most
 * `UNACKED_MESSAGES` messages ahead of the writer.
 */
const port = parentPort
if (!port) throw new Error('import-worker must run in a worker thread')

type Queued = { id: number; path: string; sizeBytes: number }

const queue: Queued[] = []
const cancelled = new Set<number>()
let running = false
let current: number | null = null
let unacked = 0
let waitingForAck: (() => void) | null = null

const send = (reply: WorkerReply, transfer?: TransferListItem[]) =>
  port.postMessage(reply, transfer)

class CancelledRun extends Error {}

async function emit(id: number, message: FileMessage): Promise<void> {
  if (cancelled.has(id)) throw new CancelledRun()
  send({ type: 'message', id, message }, transferables(message))
  // Progress needs no answer; waiting for one would stall parsing whenever the writer is busy committing.
  if (message.type === 'progress') return
  unacked++
  while (unacked >= UNACKED_MESSAGES)
    await new Promise<void>((resolve) => (waitingForAck = resolve))
}

/** A recording's compressed chunks move to the writer instead of being copied (each owns its memory). */
function transferables(message: FileMessage): TransferListItem[] | undefined {
  if (message.type !== 'recording') return undefined
  const list: TransferListItem[] = []
  for (const chunk of message.recording.chunks) {
    const data = chunk.data
    if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength)
      list.push(data.buffer as ArrayBuffer)
  }
  return list
}

async function pump(): Promise<void> {
  if (running) return
  running = true
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const { id, path, sizeBytes } = next
    current = id
    send({ type: 'started', id })
    try {
      const result = await importFile(path, sizeBytes, (message) => emit(id, message))
      send({ type: 'done', id, result })
    } catch (error) {
      send({
        type: 'error',
        id,
        name: error instanceof Error ? error.name : 'Error',
        code: error instanceof ImportError ? error.code : null,
        message: error instanceof Error ? error.message : String(error)
      })
    } finally {
      cancelled.delete(id)
      current = null
    }
  }
  running = false
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'ack') {
    unacked--
    const resume = waitingForAck
    waitingForAck = null
    resume?.()
  } else if (request.type === 'cancel') {
    const index = queue.findIndex((queued) => queued.id === request.id)
    if (index >= 0) queue.splice(index, 1)
    else if (request.id === current) cancelled.add(request.id)
  } else {
    queue.push(request)
    void pump()
  }
})
