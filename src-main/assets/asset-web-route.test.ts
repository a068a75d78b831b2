import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiHandlers } from '@shared/ipc-contract'
import type { WritableDb } from '../db/types'
import { createTempDir, createTestDb } from '../test/test-db'
import { startWebHost, type WebHost } from '../web/web-host'
import { insertRecordingAssets, markAssetFetched } from './asset-queries'
import { writeAssetFileSync } from './asset-store'
import { createAssetWebRoute } from './asset-web-route'

let db: WritableDb
let dataDir: string
let cleanup: () => void
let host: WebHost

beforeEach(async () => {
  db = createTestDb()
  ;({ dir: dataDir, cleanup } = createTempDir())
  host = await startWebHost({
    api: {} as ApiHandlers,
    rendererDir: dataDir,
    token: 'test-token',
    routes: [createAssetWebRoute(db, dataDir)]
  })
})

afterEach(async () => {
  await host.close()
  db.close()
  cleanup()
})

describe('the web host asset route', () => {
  it('serves a cached image behind the token, and 404s an uncached one', async () => {
    db.prepare(
      `INSERT INTO recordings (id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES ('r', 1, 2, 1, 1, 3)`
    ).run()
    insertRecordingAssets(db, 'r', ['https://shop.test/a.png'])
    const body = Buffer.from('PNG!')
    markAssetFetched(db, {
      url: 'https://shop.test/a.png',
      contentHash: writeAssetFileSync(dataDir, body),
      mime: 'image/png',
      sizeBytes: body.byteLength,
      fetchedAtMs: 1
    })
    const url = (target: string) => `${host.origin}/assets?url=${encodeURIComponent(target)}`
    const headers = { 'x-tapedeck-token': 'test-token' }

    const cached = await fetch(url('https://shop.test/a.png'), { headers })
    expect(cached.status).toBe(200)
    expect(cached.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await cached.arrayBuffer()).toString()).toBe('PNG!')

    expect((await fetch(url('https://shop.test/other.png'), { headers })).status).toBe(404)
    expect((await fetch(url('https://shop.test/a.png'))).status).toBe(401)
  })
})
