import { setTimeout as sleep } from 'node:timers/promises'

/** How far one asset download may go. */
export type FetchLimits = {
  /** Whole request, body included, per attempt. */
  timeoutMs: number
  /** Larger bodies are refused (by Content-Length up front, or while streaming). */
  maxBytes: number
  /** Extra attempts after a network error, a timeout, a 5xx or a 429. */
  retries: number
  /** Delay before the first retry; doubled for each further one. */
  retryDelayMs: number
  maxRedirects: number
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  timeoutMs: 15_000,
  maxBytes: 20 * 1024 * 1024,
  retries: 2,
  retryDelayMs: 500,
  maxRedirects: 5
}

/** A downloaded body, or why there is none. `skipped` failures are final; `failed` ones may succeed later. */
export type FetchAssetResult =
  | { ok: true; body: Buffer; mime: string; finalUrl: string; attempts: number }
  | { ok: false; status: 'failed' | 'skipped'; error: string; attempts: number }

const EXTENSION_MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  css: 'text/css',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject'
}

/** The MIME type a URL's extension suggests, or undefined. */
export function guessMimeFromUrl(url: string): string | undefined {
  let pathname: string
  try {
    pathname = new URL(url).pathname
  } catch {
    return undefined
  }
  const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase()
  return extension === undefined ? undefined : EXTENSION_MIME[extension]
}

/**
 * The MIME type to store for a response, or null when it is not an image, a stylesheet or a font.
 *
 * Generic types (`application/octet-stream`, `text/plain`, none) fall back to the URL's extension, since fonts and
 * stylesheets are often served that way; HTML (a soft 404 page), scripts and JSON are refused.
 */
export function acceptedAssetMime(contentType: string | null, url: string): string | null {
  const declared = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (/^image\/[a-z0-9.+-]+$/.test(declared) || /^font\/[a-z0-9.+-]+$/.test(declared))
    return declared
  if (declared === 'text/css') return declared
  if (
    /^application\/(x-)?font-[a-z0-9.+-]+$/.test(declared) ||
    declared === 'application/vnd.ms-fontobject'
  ) {
    return declared
  }
  if (
    declared === '' ||
    declared === 'application/octet-stream' ||
    declared === 'text/plain' ||
    declared === 'binary/octet-stream'
  ) {
    return guessMimeFromUrl(url) ?? null
  }
  return null
}

class AssetRefused extends Error {}

/**
 * Downloads one asset over http(s), within `limits`.
 *
 * Redirects are followed by hand, each hop checked: a redirect to anything but http(s) is refused. Retries network
 * errors, timeouts, 5xx and 429 with exponential backoff; any other non-2xx is a failure without retry. Never
 * throws; `signal` cancels (the result is then a `failed` one).
 */
export async function fetchAsset(
  url: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  signal?: AbortSignal,
  userAgent = 'Tapedeck (offline asset cache)'
): Promise<FetchAssetResult> {
  if (!isHttpUrl(url))
    return { ok: false, status: 'skipped', error: 'not an http(s) URL', attempts: 0 }
  let attempts = 0
  let lastError = 'not attempted'
  for (let attempt = 0; attempt <= limits.retries; attempt++) {
    if (attempt > 0) {
      try {
        await sleep(limits.retryDelayMs * 2 ** (attempt - 1), undefined, { signal })
      } catch {
        break
      }
    }
    if (signal?.aborted) break
    attempts++
    try {
      const result = await fetchOnce(url, limits, signal, userAgent)
      if (result.kind === 'ok') {
        return {
          ok: true,
          body: result.body,
          mime: result.mime,
          finalUrl: result.finalUrl,
          attempts
        }
      }
      lastError = result.error
      if (!result.retry) return { ok: false, status: 'failed', error: result.error, attempts }
    } catch (error) {
      if (error instanceof AssetRefused)
        return { ok: false, status: 'skipped', error: error.message, attempts }
      if (signal?.aborted) return { ok: false, status: 'failed', error: 'cancelled', attempts }
      lastError = describeFetchError(error, limits)
    }
  }
  return { ok: false, status: 'failed', error: signal?.aborted ? 'cancelled' : lastError, attempts }
}

type OnceResult =
  | { kind: 'ok'; body: Buffer; mime: string; finalUrl: string }
  | { kind: 'http-error'; error: string; retry: boolean }

async function fetchOnce(
  url: string,
  limits: FetchLimits,
  outerSignal: AbortSignal | undefined,
  userAgent: string
): Promise<OnceResult> {
  const timeout = AbortSignal.timeout(limits.timeoutMs)
  const signal = outerSignal === undefined ? timeout : AbortSignal.any([timeout, outerSignal])
  let current = url
  for (let hop = 0; ; hop++) {
    const response = await fetch(current, {
      redirect: 'manual',
      signal,
      headers: { accept: 'image/*,text/css,font/*,*/*;q=0.5', 'user-agent': userAgent },
      credentials: 'omit'
    })
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel()
      if (hop >= limits.maxRedirects)
        throw new AssetRefused(`more than ${limits.maxRedirects} redirects`)
      const location = response.headers.get('location') ?? ''
      let next: URL
      try {
        next = new URL(location, current)
      } catch {
        throw new AssetRefused(`redirect to an invalid URL: ${location.slice(0, 200)}`)
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new AssetRefused(`redirect to a non-http(s) URL refused: ${next.protocol}`)
      }
      current = next.href
      continue
    }
    if (!response.ok) {
      await response.body?.cancel()
      const retry = response.status >= 500 || response.status === 429 || response.status === 408
      return { kind: 'http-error', error: `HTTP ${response.status}`, retry }
    }
    const mime = acceptedAssetMime(response.headers.get('content-type'), current)
    if (mime === null) {
      await response.body?.cancel()
      throw new AssetRefused(
        `not an image, stylesheet or font (${response.headers.get('content-type') ?? 'no type'})`
      )
    }
    const declaredLength = Number(response.headers.get('content-length') ?? NaN)
    if (Number.isFinite(declaredLength) && declaredLength > limits.maxBytes) {
      await response.body?.cancel()
      throw new AssetRefused(`larger than ${limits.maxBytes} bytes (${declaredLength})`)
    }
    const body = await readLimited(response, limits.maxBytes)
    return { kind: 'ok', body, mime, finalUrl: current }
  }
}

async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  if (response.body === null) return Buffer.alloc(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw new AssetRefused(`larger than ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total)
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
  } catch {
    return false
  }
}

function describeFetchError(error: unknown, limits: FetchLimits): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `timed out after ${limits.timeoutMs} ms`
    const cause = (error as Error & { cause?: unknown }).cause
    if (cause instanceof Error) return `${error.message}: ${cause.message}`
    return error.message
  }
  return String(error)
}
