import type { ServerResponse } from 'node:http'
import type { EmitEvent } from '../core/app-context'

/** Fans the core's events out to every open `/api/events` server-sent-event stream. */
export type EventHub = {
  /** Pass this as the `AppContext`'s `emit`. */
  emit: EmitEvent
  /** Starts an event stream on `res`; it stays open until the client goes away or the hub closes. */
  attach: (res: ServerResponse) => void
  /** Number of open streams. */
  size: () => number
  /** Ends every stream (server shutdown). */
  close: () => void
}

const KEEPALIVE_MS = 20_000

/** Creates an event hub; `extraHeaders` are sent on every stream (the host's security headers). */
export function createEventHub(extraHeaders: Record<string, string> = {}): EventHub {
  const clients = new Set<ServerResponse>()
  const keepalive = setInterval(() => {
    for (const res of clients) res.write(': keepalive\n\n')
  }, KEEPALIVE_MS)
  keepalive.unref()

  return {
    emit(channel, payload) {
      const frame = `event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`
      for (const res of clients) res.write(frame)
    },
    attach(res) {
      res.writeHead(200, {
        ...extraHeaders,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive'
      })
      res.write(': connected\n\n')
      clients.add(res)
      res.on('close', () => clients.delete(res))
    },
    size: () => clients.size,
    close() {
      clearInterval(keepalive)
      for (const res of clients) res.end()
      clients.clear()
    }
  }
}
