import { describe, expect, it } from 'vitest'
import { createHttpClient, HttpError, parseRetryAfterMs } from './http-client'

describe('parseRetryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfterMs('2')).toBe(2000)
    expect(parseRetryAfterMs('0')).toBe(0)
    expect(
      parseRetryAfterMs('Fri, 27 Nov 2026 12:00:05 GMT', Date.parse('2026-11-27T12:00:00Z'))
    ).toBe(5000)
    expect(parseRetryAfterMs(null)).toBeNull()
    expect(parseRetryAfterMs('soon')).toBeNull()
  })
})

describe('createHttpClient', () => {
  function scripted(statuses: number[], headers: Record<string, string> = {}) {
    const seen: { url: string; auth: string | null }[] = []
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization') })
      const status = statuses.shift() ?? 200
      return new Response(JSON.stringify({ status }), { status, headers })
    }) as typeof fetch
    return { seen, fetchImpl }
  }

  it('retries 429 and 503 after Retry-After or a back-off, and reports each wait', async () => {
    const { seen, fetchImpl } = scripted([429, 503, 200], { 'retry-after': '3' })
    const waits: number[] = []
    const http = createHttpClient({
      fetch: fetchImpl,
      headers: { authorization: 'Bearer phx_secret' },
      sleep: async (ms) => void waits.push(ms),
      onRetry: (info) => expect(JSON.stringify(info)).not.toContain('phx_secret')
    })
    expect(await http.getJson('http://127.0.0.1:1/api/x?y=1')).toEqual({ status: 200 })
    expect(waits).toEqual([3000, 3000])
    expect(seen.every((s) => s.auth === 'Bearer phx_secret')).toBe(true)
  })

  it('caps a long Retry-After, gives up after the last attempt, and never retries other 4xx', async () => {
    const waits: number[] = []
    const capped = createHttpClient({
      fetch: scripted([429, 429, 429], { 'retry-after': '3600' }).fetchImpl,
      maxAttempts: 3,
      maxDelayMs: 50,
      sleep: async (ms) => void waits.push(ms)
    })
    await expect(capped.getJson('http://127.0.0.1:1/a')).rejects.toThrow(
      /after 3 attempts: HTTP 429/
    )
    expect(waits).toEqual([50, 50])

    const { seen, fetchImpl } = scripted([404])
    const http = createHttpClient({ fetch: fetchImpl, sleep: async () => undefined })
    const error = await http.getJson('http://127.0.0.1:1/a').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(404)
    expect(seen.length).toBe(1)
  })
})
