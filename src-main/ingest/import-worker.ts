import { parentPort } from 'node:worker_threads'
import { ImportError } from './import-error'
import { importFile, type FileMessage } from './import-file'
import type { WorkerReply, WorkerRequest } from './file-runner'

/** Worker thread: imports the files the service sends, one at a time, waiting for an ack after each message. */
const port = parentPort
if (!port) throw new Error('import-worker must run in a worker thread')

let waitingForAck: (() => void) | null = null

const send = (reply: WorkerReply) => port.postMessage(reply)

async function emit(message: FileMessage): Promise<void> {
  send({ type: 'message', message })
  // Progress needs no answer; waiting for one would stall parsing whenever the writer is busy committing.
  if (message.type === 'progress') return
  await new Promise<void>((resolve) => (waitingForAck = resolve))
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'ack') {
    const resume = waitingForAck
    waitingForAck = null
    resume?.()
    return
  }
  importFile(request.path, request.sizeBytes, emit).then(
    (result) => send({ type: 'done', result }),
    (error: unknown) =>
      send({
        type: 'error',
        name: error instanceof Error ? error.name : 'Error',
        code: error instanceof ImportError ? error.code : null,
        message: error instanceof Error ? error.message : String(error)
      })
  )
})
