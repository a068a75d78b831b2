import { readdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { deflateRawSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { WritableDb } from '../db/types'
import { createTempDir, createTestDb } from '../test/test-db'
import { fetchAssets, scanRecordingAssets } from './asset-fetch-service'
import {
  getAsset,
  getAssetStatus,
  insertRecordingAssets,
  listRecordingAssetUrls,
  listUnscannedRecordingIds
} from './asset-queries'
import { getAssetDir } from './asset-store'
import { resolveAssetResponse } from './resolve-asset-response'

let server: Server
let origin: string
let inFlight = 0
let maxInFlight = 0

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/'
  inFlight++
  maxInFlight = Math.max(maxInFlight, inFlight)
  const send = (status: number, type: string, body: string | Buffer) => {
    setTimeout(() => {
      inFlight--
      res.writeHead(status, { 'content-type': type }).end(body)
    }, 30)
  }
  if (/^\/same-[ab]\.svg$/.test(path))
    return send(200, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>')
  if (/^\/img-\d+\.svg$/.test(path)) return send(200, 'image/svg+xml', `<svg id="${path}"/>`)
  if (path === '/site.css') {
    return send(
      200,
      'text/css',
      '@import "more.css"; body { background: url(bg.png) } @font-face { src: url(/f.woff2) }'
    )
  }
  if (path === '/more.css') return send(200, 'text/css', '.x { background: url(deeper.css) }')
  if (path === '/bg.png') return send(200, 'image/png', Buffer.from('png'))
  if (path === '/f.woff2') return send(200, 'font/woff2', Buffer.from('wOF2'))
  send(404, 'text/plain', 'no')
}

beforeAll(async () => {
  server = createServer(route)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

let db: WritableDb
let dataDir: string
let cleanup: () => void

beforeEach(() => {
  db = createTestDb()
  ;({ dir: dataDir, cleanup } = createTempDir())
  maxInFlight = 0
})

afterEach(() => {
  db.close()
  cleanup()
})

function insertRecording(id: string, chunks: Array<{ windowId: string; events: unknown[] }> = []) {
  db.prepare(
    `INSERT INTO recordings (id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES (?, 1, 2, 1, 1, 3)`
  ).run(id)
  chunks.forEach((chunk, seq) => {
    const json = Buffer.from(JSON.stringify(chunk.events))
    db.prepare(
      `INSERT INTO snapshot_chunks (recording_id, seq, window_id, first_ms, last_ms, event_count, has_full_snapshot,
         raw_bytes, data) VALUES (?, ?, ?, 1, 2, ?, 1, ?, ?)`
    ).run(
      id,
      seq,
      chunk.windowId,
      chunk.events.length,
      json.byteLength,
      deflateRawSync(json, { level: 1 })
    )
  })
}

function page(href: string, ...imgSrcs: string[]) {
  return [
    { type: 4, data: { href, width: 10, height: 10 }, timestamp: 1 },
    {
      type: 2,
      timestamp: 2,
      data: {
        node: {
          type: 0,
          id: 1,
          childNodes: imgSrcs.map((src, i) => ({
            type: 2,
            tagName: 'img',
            attributes: { src },
            childNodes: [],
            id: i + 2
          }))
        }
      }
    }
  ]
}

describe('scanRecordingAssets', () => {
  it('reads stored chunks, resolving each window against its own page, and marks the recording scanned', () => {
    insertRecording('r1', [
      { windowId: 'w1', events: page('https://one.test/shop/', 'a.png') },
      { windowId: 'w2', events: page('https://two.test/', 'b.png') },
      {
        windowId: 'w1',
        events: [
          {
            type: 3,
            data: {
              source: 0,
              adds: [
                {
                  parentId: 1,
                  nextId: null,
                  node: {
                    type: 2,
                    tagName: 'img',
                    attributes: { src: 'c.png' },
                    childNodes: [],
                    id: 9
                  }
                }
              ]
            }
          }
        ]
      }
    ])
    insertRecording('r2')
    expect(listUnscannedRecordingIds(db)).toEqual(['r1', 'r2'])
    expect(scanRecordingAssets(db, 'r1')).toBe(3)
    expect(listRecordingAssetUrls(db, 'r1')).toEqual([
      'https://one.test/shop/a.png',
      'https://one.test/shop/c.png',
      'https://two.test/b.png'
    ])
    expect(listUnscannedRecordingIds(db)).toEqual(['r2'])
  })
})

describe('fetchAssets', () => {
  it('keeps at most `concurrency` downloads in flight and stores every body once', async () => {
    insertRecording('r1')
    const urls = Array.from({ length: 12 }, (_, i) => `${origin}/img-${i}.svg`)
    insertRecordingAssets(db, 'r1', [...urls, `${origin}/same-a.svg`, `${origin}/same-b.svg`])
    const progress: number[] = []
    const summary = await fetchAssets(db, dataDir, {
      concurrency: 3,
      onProgress: (p) => progress.push(p.done)
    })
    expect(summary).toMatchObject({
      attempted: 14,
      fetched: 14,
      failed: 0,
      skipped: 0,
      cancelled: false
    })
    expect(maxInFlight).toBe(3)
    expect(progress).toEqual(Array.from({ length: 14 }, (_, i) => i + 1))
    // 12 distinct bodies plus one shared by same-a and same-b.
    expect(readdirSync(getAssetDir(dataDir))).toHaveLength(13)
    expect(getAsset(db, `${origin}/same-a.svg`)?.contentHash).toBe(
      getAsset(db, `${origin}/same-b.svg`)?.contentHash
    )
    expect(getAssetStatus(db)).toMatchObject({ total: 14, fetched: 14, pending: 0 })
  })

  it('follows stylesheets to their fonts, images and imports, up to maxDepth', async () => {
    insertRecording('r1')
    insertRecordingAssets(db, 'r1', [`${origin}/site.css`])
    const summary = await fetchAssets(db, dataDir, { maxDepth: 1 })
    expect(summary).toMatchObject({ fetched: 4, discovered: 3 })
    expect(getAsset(db, `${origin}/f.woff2`)).toMatchObject({
      status: 'fetched',
      mime: 'font/woff2',
      depth: 1
    })
    expect(getAsset(db, `${origin}/more.css`)).toMatchObject({
      status: 'fetched',
      foundIn: `${origin}/site.css`
    })
    // more.css is at depth 1 = maxDepth, so what it names is not followed.
    expect(getAsset(db, `${origin}/deeper.css`)).toBeUndefined()
  })

  it('records failures, leaves them alone on the next run, and retries them when asked', async () => {
    insertRecording('r1')
    insertRecordingAssets(db, 'r1', [`${origin}/gone.png`])
    expect(await fetchAssets(db, dataDir, { limits: { retries: 0 } })).toMatchObject({ failed: 1 })
    expect(getAsset(db, `${origin}/gone.png`)).toMatchObject({
      status: 'failed',
      error: 'HTTP 404',
      attempts: 1
    })
    expect(await fetchAssets(db, dataDir)).toMatchObject({ attempted: 0 })
    expect(
      await fetchAssets(db, dataDir, { retryFailed: true, limits: { retries: 0 } })
    ).toMatchObject({
      attempted: 1
    })
    expect(getAsset(db, `${origin}/gone.png`)?.attempts).toBe(2)
  })

  it('scans recordings imported without asset URLs before fetching', async () => {
    insertRecording('r1', [{ windowId: 'w', events: page(`${origin}/shop/`, '../img-1.svg') }])
    const summary = await fetchAssets(db, dataDir)
    expect(summary).toMatchObject({ scannedRecordings: 1, fetched: 1 })
    expect(getAsset(db, `${origin}/img-1.svg`)?.status).toBe('fetched')
  })
})

describe('resolveAssetResponse', () => {
  it('serves a cached body with safe headers, rewrites stylesheet URLs, and 404s what is not cached', async () => {
    insertRecording('r1')
    insertRecordingAssets(db, 'r1', [
      `${origin}/bg.png`,
      `${origin}/site.css`,
      `${origin}/never-fetched.png`
    ])
    await fetchAssets(db, dataDir, { maxDepth: 0 })

    const image = resolveAssetResponse(db, dataDir, `${origin}/bg.png`)
    expect(image.status).toBe(200)
    expect(Buffer.from(image.body).toString()).toBe('png')
    expect(image.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff'
    })
    expect(image.headers['content-security-policy']).toContain('sandbox')

    const css = resolveAssetResponse(db, dataDir, `${origin}/site.css`, {
      toLocalUrl: (url) => `/assets?url=${encodeURIComponent(url)}`
    })
    expect(Buffer.from(css.body).toString()).toBe(
      `@import "/assets?url=${encodeURIComponent(`${origin}/more.css`)}"; ` +
        `body { background: url("/assets?url=${encodeURIComponent(`${origin}/bg.png`)}") } ` +
        `@font-face { src: url("/assets?url=${encodeURIComponent(`${origin}/f.woff2`)}") }`
    )

    expect(resolveAssetResponse(db, dataDir, `${origin}/never-fetched.png`).status).toBe(404)
    expect(resolveAssetResponse(db, dataDir, 'https://elsewhere.test/x.png').status).toBe(404)
    expect(resolveAssetResponse(db, dataDir, 'file:///etc/passwd').status).toBe(400)
    expect(resolveAssetResponse(db, dataDir, '../../cache.sqlite').status).toBe(400)
  })
})
