/** A failed HTTP request that retrying will not fix (4xx other than 429, or retries exhausted). */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export type RetryInfo = { path: string; attempt: number; waitMs: number; reason: string }

export type HttpClientOptions = {
  fetch?: typeof fetch
  /** Attempts per request, the first included. */
  maxAttempts?: number
  /** First back-off delay when the server gives no `Retry-After`; doubles each attempt. */
  baseDelayMs?: number
  /** Longest single wait, whatever `Retry-After` says. */
  maxDelayMs?: number
  /** Gives up on a request (and retries it) when no complete response arrived in this time. */
  timeoutMs?: number
  /** Extra headers on every request (the `Authorization` header lives here and is never logged). */
  headers?: Record<string, string>
  onRetry?: (info: RetryInfo) => void
  /** Called as response bytes arrive (after gzip decoding), for progress. */
  onBytes?: (bytes: number) => void
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export type HttpResponse = { status: number; headers: Headers; body: Buffer }

export type HttpClient = {
  /** GETs or POSTs `url`, retrying on 429, 502, 503, 504, timeouts and dropped connections. */
  request: (
    url: string,
    init?: { method?: string; body?: string; signal?: AbortSignal }
  ) => Promise<HttpResponse>
  getJson: <T>(url: string, signal?: AbortSignal) => Promise<T>
  postJson: <T>(url: string, body: unknown, signal?: AbortSignal) => Promise<T>
}

const RETRY_STATUSES = new Set([429, 502, 503, 504])

/** Sleeps `ms`, waking early (with the abort reason) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Reads `Retry-After` (delta seconds or an HTTP date) in milliseconds, or `null` when absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null, nowMs = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const dateMs = Date.parse(value)
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs)
}

/**
 * An HTTP client for a remote API: JSON in and out, gzip accepted, bounded retries with back-off.
 *
 * A 429 or 503 waits what `Retry-After` says (capped at `maxDelayMs`), else an exponential delay. A connection
 * dropped mid-body, a timeout or a network error is retried the same way. Other 4xx fail at once with an
 * `HttpError`. Only the path (never the headers) appears in errors and retry reports.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const doFetch = options.fetch ?? fetch
  const maxAttempts = options.maxAttempts ?? 6
  const baseDelayMs = options.baseDelayMs ?? 1000
  const maxDelayMs = options.maxDelayMs ?? 120_000
  const timeoutMs = options.timeoutMs ?? 120_000
  const wait = options.sleep ?? sleep

  async function request(
    url: string,
    init: { method?: string; body?: string; signal?: AbortSignal } = {}
  ): Promise<HttpResponse> {
    const path = describeUrl(url)
    for (let attempt = 1; ; attempt++) {
      init.signal?.throwIfAborted()
      let retryReason: string
      let retryAfterMs: number | null = null
      try {
        const response = await fetchOnce(url, init)
        if (response.status < 400) return response
        const text = response.body.toString('utf8')
        if (!RETRY_STATUSES.has(response.status)) {
          throw new HttpError(
            `${init.method ?? 'GET'} ${path} failed: HTTP ${response.status} ${summarise(text)}`,
            response.status,
            text
          )
        }
        retryReason = `HTTP ${response.status}`
        retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'))
      } catch (error) {
        if (error instanceof HttpError || init.signal?.aborted) throw error
        retryReason = describeNetworkError(error)
      }
      if (attempt >= maxAttempts) {
        throw new HttpError(
          `${init.method ?? 'GET'} ${path} failed after ${attempt} attempts: ${retryReason}`,
          0,
          ''
        )
      }
      const backoffMs = baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5)
      const waitMs = Math.min(maxDelayMs, retryAfterMs ?? backoffMs)
      options.onRetry?.({ path, attempt, waitMs, reason: retryReason })
      await wait(waitMs, init.signal)
    }
  }

  async function fetchOnce(
    url: string,
    init: { method?: string; body?: string; signal?: AbortSignal }
  ): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    const response = await doFetch(url, {
      method: init.method ?? 'GET',
      body: init.body,
      signal,
      headers: {
        accept: 'application/json, application/jsonl;q=0.9, */*;q=0.5',
        'accept-encoding': 'gzip',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers
      }
    })
    const chunks: Buffer[] = []
    if (response.body) {
      const reader = response.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(Buffer.from(value))
        options.onBytes?.(value.byteLength)
      }
    }
    return { status: response.status, headers: response.headers, body: Buffer.concat(chunks) }
  }

  return {
    request,
    async getJson<T>(url: string, signal?: AbortSignal) {
      const response = await request(url, { signal })
      return parseJson<T>(response, url)
    },
    async postJson<T>(url: string, body: unknown, signal?: AbortSignal) {
      const response = await request(url, { method: 'POST', body: JSON.stringify(body), signal })
      return parseJson<T>(response, url)
    }
  }
}

function parseJson<T>(response: HttpResponse, url: string): T {
  try {
    return JSON.parse(response.body.toString('utf8')) as T
  } catch {
    throw new HttpError(`${describeUrl(url)} did not answer with JSON`, response.status, '')
  }
}

/** The path and query of a URL, for messages (hosts and keys stay out of logs). */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.pathname}${parsed.search}`.slice(0, 200)
  } catch {
    return '(invalid url)'
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause
    const detail = cause instanceof Error ? `: ${cause.message}` : ''
    return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${detail}`
  }
  return String(error)
}

function summarise(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine
}

/** Runs at most `limit` of the given tasks at once. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const queue: (() => void)[] = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      queue.shift()?.()
    }
  }
}
