/**
 * The renderer's one way to reach the core.
 *
 * In the desktop app the preload exposes the contract as `window.desktop`; in a browser served by `tapedeck serve`
 * the same contract goes over HTTP (`POST /api/invoke/<channel>` with the token cookie, events from
 * `/api/events`). This is the only file that knows which; everything else imports `desktop`.
 */
import type {
  DesktopApi,
  EventChannel,
  EventChannels,
  InvokeArgs,
  InvokeChannel,
  InvokeResult
} from '@shared/ipc-contract'

declare global {
  interface Window {
    desktop?: DesktopApi
  }
}

/** A request the core refused or failed; `status` is the HTTP status (0 for network failures). */
export class ApiError extends Error {
  readonly channel: string
  readonly status: number
  constructor(channel: string, status: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.channel = channel
    this.status = status
  }
}

type Listener = (payload: unknown) => void

/** The contract over HTTP, for the web host. `fetchImpl` and `openEvents` are injectable for tests. */
export function createHttpApi(
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  openEvents: (url: string) => EventSource = (url) => new EventSource(url)
): DesktopApi {
  const listeners = new Map<string, Set<Listener>>()
  const attached = new Set<string>()
  let source: EventSource | null = null

  function subscribeSource(channel: string): void {
    source ??= openEvents('/api/events')
    if (attached.has(channel)) return
    attached.add(channel)
    source.addEventListener(channel, (message) => {
      let payload: unknown
      try {
        payload = JSON.parse((message as MessageEvent<string>).data)
      } catch {
        return
      }
      for (const listener of listeners.get(channel) ?? []) listener(payload)
    })
  }

  return {
    async invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>> {
      let response: Response
      try {
        response = await fetchImpl(`/api/invoke/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(args)
        })
      } catch (error) {
        throw new ApiError(channel, 0, `Tapedeck is not answering (${error instanceof Error ? error.message : String(error)}). Is \`tapedeck serve\` still running?`)
      }
      if (response.status === 204) return undefined as InvokeResult<C>
      if (!response.ok) {
        if (response.status === 401) {
          throw new ApiError(channel, 401, 'This page is no longer signed in to Tapedeck. Open the link `tapedeck serve` printed (the token changes on every start).')
        }
        const body = (await response.json().catch(() => null)) as { error?: string } | null
        throw new ApiError(channel, response.status, body?.error ?? `${channel} failed with HTTP ${response.status}`)
      }
      if (response.headers.get('content-type')?.startsWith('application/octet-stream')) {
        return new Uint8Array(await response.arrayBuffer()) as InvokeResult<C>
      }
      return (await response.json()) as InvokeResult<C>
    },
    on<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void): () => void {
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      set.add(listener as Listener)
      subscribeSource(channel)
      return () => {
        set.delete(listener as Listener)
      }
    }
  }
}

/** Which shell the renderer runs in. */
export const shellKind: 'electron' | 'web' = typeof window !== 'undefined' && window.desktop ? 'electron' : 'web'

/** The contract, whichever shell serves it. */
export const desktop: DesktopApi =
  typeof window !== 'undefined' && window.desktop ? window.desktop : createHttpApi()

/** A one-line, user-facing description of a failure. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
