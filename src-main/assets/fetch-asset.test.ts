import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptedAssetMime, fetchAsset, type FetchLimits } from './fetch-asset'

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
const limits: FetchLimits = {
  timeoutMs: 300,
  maxBytes: 1000,
  retries: 2,
  retryDelayMs: 10,
  maxRedirects: 3
}

let server: Server
let origin: string
const hits = new Map<string, number>()
const pending: ServerResponse[] = []

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/'
  hits.set(path, (hits.get(path) ?? 0) + 1)
  const count = hits.get(path) ?? 0
  switch (path) {
    case '/img.png':
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
      return
    case '/big-declared':
      res
        .writeHead(200, { 'content-type': 'image/png', 'content-length': '5000' })
        .end(Buffer.alloc(5000))
      return
    case '/big-streamed.png': {
      res.writeHead(200, { 'content-type': 'image/png' })
      let sent = 0
      const timer = setInterval(() => {
        if (res.destroyed || sent > 100_000) {
          clearInterval(timer)
          res.end()
          return
        }
        res.write(Buffer.alloc(400))
        sent += 400
      }, 2)
      return
    }
    case '/never':
      pending.push(res)
      return
    case '/flaky.png':
      if (count <= 2) res.writeHead(503).end('busy')
      else res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
      return
    case '/missing.png':
      res.writeHead(404).end('no')
      return
    case '/to-file':
      res.writeHead(302, { location: 'file:///etc/passwd' }).end()
      return
    case '/to-data':
      res.writeHead(301, { location: 'data:image/png;base64,AAAA' }).end()
      return
    case '/to-img':
      res.writeHead(302, { location: '/img.png' }).end()
      return
    case '/loop':
      res.writeHead(302, { location: '/loop' }).end()
      return
    case '/page.png':
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Soft 404</h1>')
      return
    case '/font.woff2':
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from('wOF2'))
      return
    default:
      res.writeHead(404).end()
  }
}

beforeAll(async () => {
  server = createServer(route)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  for (const res of pending) res.destroy()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('fetchAsset', () => {
  it('downloads an image with its type', async () => {
    const result = await fetchAsset(`${origin}/img.png`, limits)
    expect(result).toMatchObject({ ok: true, mime: 'image/png', attempts: 1 })
    expect(result.ok && result.body.equals(PNG)).toBe(true)
  })

  it('refuses a body whose declared length is over the limit, without retrying', async () => {
    const result = await fetchAsset(`${origin}/big-declared`, limits)
    expect(result).toMatchObject({ ok: false, status: 'skipped', attempts: 1 })
    expect(!result.ok && result.error).toMatch(/larger than 1000 bytes/)
  })

  it('stops reading a streamed body once it passes the limit', async () => {
    const result = await fetchAsset(`${origin}/big-streamed.png`, limits)
    expect(result).toMatchObject({ ok: false, status: 'skipped' })
    expect(!result.ok && result.error).toMatch(/larger than 1000 bytes/)
  })

  it('times out, retries, and gives up with the reason', async () => {
    const startedAtMs = Date.now()
    const result = await fetchAsset(`${origin}/never`, limits)
    expect(result).toMatchObject({ ok: false, status: 'failed', attempts: 3 })
    expect(!result.ok && result.error).toMatch(/timed out after 300 ms/)
    expect(hits.get('/never')).toBe(3)
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(900)
  })

  it('retries a 503 and succeeds when the server recovers', async () => {
    const result = await fetchAsset(`${origin}/flaky.png`, limits)
    expect(result).toMatchObject({ ok: true, attempts: 3 })
  })

  it('does not retry a 404', async () => {
    const result = await fetchAsset(`${origin}/missing.png`, limits)
    expect(result).toEqual({ ok: false, status: 'failed', error: 'HTTP 404', attempts: 1 })
    expect(hits.get('/missing.png')).toBe(1)
  })

  it('never follows a redirect to anything but http(s)', async () => {
    for (const path of ['/to-file', '/to-data']) {
      const result = await fetchAsset(`${origin}${path}`, limits)
      expect(result).toMatchObject({ ok: false, status: 'skipped' })
      expect(!result.ok && result.error).toMatch(/non-http\(s\) URL refused/)
    }
  })

  it('follows http redirects, up to the limit', async () => {
    expect(await fetchAsset(`${origin}/to-img`, limits)).toMatchObject({
      ok: true,
      finalUrl: `${origin}/img.png`
    })
    const loop = await fetchAsset(`${origin}/loop`, limits)
    expect(loop).toMatchObject({ ok: false, status: 'skipped' })
    expect(hits.get('/loop')).toBe(limits.maxRedirects + 1)
  })

  it('refuses HTML served for an image, and refuses non-http(s) URLs outright', async () => {
    expect(await fetchAsset(`${origin}/page.png`, limits)).toMatchObject({
      ok: false,
      status: 'skipped'
    })
    expect(await fetchAsset('file:///etc/passwd', limits)).toMatchObject({
      ok: false,
      status: 'skipped',
      attempts: 0
    })
  })

  it('types a font served as octet-stream by its extension', async () => {
    expect(await fetchAsset(`${origin}/font.woff2`, limits)).toMatchObject({
      ok: true,
      mime: 'font/woff2'
    })
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const result = await fetchAsset(
      `${origin}/never`,
      { ...limits, timeoutMs: 10_000 },
      controller.signal
    )
    expect(result).toMatchObject({ ok: false, status: 'failed', error: 'cancelled', attempts: 1 })
  })
})

describe('acceptedAssetMime', () => {
  it('accepts images, fonts and CSS, falls back to the extension for generic types, refuses the rest', () => {
    expect(acceptedAssetMime('image/svg+xml; charset=utf-8', 'https://a.test/x')).toBe(
      'image/svg+xml'
    )
    expect(acceptedAssetMime('text/css', 'https://a.test/x')).toBe('text/css')
    expect(acceptedAssetMime('text/plain', 'https://a.test/x.css')).toBe('text/css')
    expect(acceptedAssetMime(null, 'https://a.test/x.JPG?v=2')).toBe('image/jpeg')
    expect(acceptedAssetMime('application/octet-stream', 'https://a.test/x')).toBeNull()
    expect(acceptedAssetMime('text/html', 'https://a.test/x.png')).toBeNull()
    expect(acceptedAssetMime('application/javascript', 'https://a.test/x.css')).toBeNull()
  })
})
