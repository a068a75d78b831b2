import { describe, expect, it } from 'vitest'
import { ApiError, createHttpApi } from './api-client'

type Sent = { url: string; init: RequestInit }

function fakeFetch(respond: (url: string) => Response) {
  const sent: Sent[] = []
  const fetchImpl = (async (url: string, init: RequestInit) => {
    sent.push({ url, init })
    return respond(url)
  }) as unknown as typeof fetch
  return { sent, fetchImpl }
}

class FakeEventSource {
  readonly url: string
  readonly handlers = new Map<string, Array<(event: MessageEvent<string>) => void>>()
  constructor(url: string) {
    this.url = url
  }
  addEventListener(type: string, handler: (event: MessageEvent<string>) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler])
  }
  fire(type: string, data: string) {
    for (const handler of this.handlers.get(type) ?? []) handler({ data } as MessageEvent<string>)
  }
}

describe('HTTP client of the contract', () => {
  it('posts the arguments as a JSON array and returns JSON, bytes or nothing', async () => {
    const { sent, fetchImpl } = fakeFetch((url) => {
      if (url.endsWith('recordings:get-chunk')) return new Response(new Uint8Array([7, 8]), { headers: { 'content-type': 'application/octet-stream' } })
      if (url.endsWith('recordings:mark-viewed')) return new Response(null, { status: 204 })
      return new Response(JSON.stringify({ total: 0, offset: 0, recordings: [] }), { headers: { 'content-type': 'application/json' } })
    })
    const api = createHttpApi(fetchImpl)
    expect(await api.invoke('recordings:search', { text: 'ada' })).toEqual({ total: 0, offset: 0, recordings: [] })
    expect(sent[0]).toMatchObject({ url: '/api/invoke/recordings:search', init: { method: 'POST', body: '[{"text":"ada"}]', credentials: 'same-origin' } })
    const chunk = await api.invoke('recordings:get-chunk', 'r' as never, 0)
    expect(chunk).toBeInstanceOf(Uint8Array)
    expect([...(chunk as Uint8Array)]).toEqual([7, 8])
    expect(await api.invoke('recordings:mark-viewed', 'r' as never, true)).toBeUndefined()
  })

  it('turns refusals into ApiErrors with the server’s message, and a lost token into a hint', async () => {
    const { fetchImpl } = fakeFetch((url) =>
      url.endsWith('views:save')
        ? new Response(JSON.stringify({ error: 'views:save: invalid arguments' }), { status: 400 })
        : new Response('{}', { status: 401 })
    )
    const api = createHttpApi(fetchImpl)
    await expect(api.invoke('views:save', '', {})).rejects.toMatchObject({ name: 'ApiError', status: 400, message: 'views:save: invalid arguments' })
    await expect(api.invoke('app:get-info')).rejects.toThrow(/link `tapedeck serve` printed/)
    const down = createHttpApi((async () => {
      throw new TypeError('Failed to fetch')
    }) as unknown as typeof fetch)
    await expect(down.invoke('app:get-info')).rejects.toBeInstanceOf(ApiError)
  })

  it('opens one event stream and delivers each channel to its listeners until they unsubscribe', () => {
    const sources: FakeEventSource[] = []
    const api = createHttpApi(fetch, (url) => {
      const source = new FakeEventSource(url)
      sources.push(source)
      return source as unknown as EventSource
    })
    const progress: unknown[] = []
    const off = api.on('import:progress', (p) => progress.push(p))
    api.on('import:progress', () => undefined)
    api.on('import:finished', () => undefined)
    expect(sources).toHaveLength(1)
    expect(sources[0]?.url).toBe('/api/events')
    sources[0]?.fire('import:progress', '{"filesDone":1}')
    off()
    sources[0]?.fire('import:progress', '{"filesDone":2}')
    expect(progress).toEqual([{ filesDone: 1 }])
  })
})
