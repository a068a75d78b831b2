import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertRecordingAssets, markAssetFetched } from '../assets/asset-queries'
import { writeAssetFileSync } from '../assets/asset-store'
import type { WritableDb } from '../db/types'
import { createTempDir, createTestDb } from '../test/test-db'
import { handleAppRequest, type AppProtocolOptions } from './app-protocol'

let db: WritableDb
let root: string
let cleanup: () => void
let options: AppProtocolOptions

beforeEach(() => {
  db = createTestDb()
  ;({ dir: root, cleanup } = createTempDir())
  const rendererDir = join(root, 'renderer')
  mkdirSync(join(rendererDir, 'static'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Tapedeck</title>')
  writeFileSync(join(rendererDir, 'static', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'secret')
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'static', 'link.txt'))
  options = { rendererDir, db, dataDir: join(root, 'data') }
})

afterEach(() => {
  db.close()
  cleanup()
})

const get = (url: string, method = 'GET') => handleAppRequest(new Request(url, { method }), options)

describe('handleAppRequest', () => {
  it('serves the renderer with the app’s CSP and security headers', async () => {
    const index = await get('app://tapedeck/')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(index.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await index.text()).toContain('<title>Tapedeck</title>')
    const script = await get('app://tapedeck/static/app.js')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('never serves files outside the renderer folder', async () => {
    // URL parsing may fold `..` away before the guard sees it; either way the secret must not come back.
    for (const url of [
      'app://tapedeck/../secret.txt',
      'app://tapedeck/%2e%2e/secret.txt',
      'app://tapedeck/static/..%2f..%2fsecret.txt',
      'app://tapedeck/static/link.txt',
      'app://tapedeck//etc/passwd'
    ]) {
      const response = await get(url)
      expect(response.status, url).toBeGreaterThanOrEqual(400)
      expect(await response.text(), url).not.toContain('secret')
    }
    expect((await get('app://tapedeck/missing.js')).status).toBe(404)
    expect((await get('app://elsewhere/index.html')).status).toBe(404)
    expect((await get('app://tapedeck/index.html', 'POST')).status).toBe(405)
  })

  it('serves cached assets at /assets, and 404s the ones not cached', async () => {
    db.prepare(
      `INSERT INTO recordings (id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES ('r', 1, 2, 1, 1, 3)`
    ).run()
    insertRecordingAssets(db, 'r', ['https://shop.test/a.css', 'https://shop.test/b.png'])
    const css = Buffer.from('body{background:url(b.png)}')
    markAssetFetched(db, {
      url: 'https://shop.test/a.css',
      contentHash: writeAssetFileSync(options.dataDir, css),
      mime: 'text/css',
      sizeBytes: css.byteLength,
      fetchedAtMs: 1
    })
    const response = await get(
      `app://tapedeck/assets?url=${encodeURIComponent('https://shop.test/a.css')}`
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toBe(
      `body{background:url("app://tapedeck/assets?url=${encodeURIComponent('https://shop.test/b.png')}")}`
    )
    expect(
      (await get(`app://tapedeck/assets?url=${encodeURIComponent('https://shop.test/b.png')}`))
        .status
    ).toBe(404)
  })
})
