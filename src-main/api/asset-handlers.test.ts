import { describe, expect, it } from 'vitest'
import type { EventChannel } from '@shared/ipc-contract'
import type { AppContext } from '../core/app-context'
import { insertRecordingAssets } from '../assets/asset-queries'
import { createTempDir, createTestDb } from '../test/test-db'
import { createAssetHandlers } from './asset-handlers'

describe('asset handlers', () => {
  it('report the cache status and run one fetch at a time, emitting progress and the summary', async () => {
    const db = createTestDb()
    const { dir, cleanup } = createTempDir()
    const events: Array<[EventChannel, unknown]> = []
    const context: AppContext = {
      db,
      dataDir: dir,
      shell: 'web',
      version: '0.0.0',
      demoImported: false,
      emit: (channel, payload) => events.push([channel, payload])
    }
    try {
      db.prepare(
        `INSERT INTO recordings (id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES ('r', 1, 2, 1, 1, 3)`
      ).run()
      // Port 9 on loopback refuses connections: a failure without any outside request.
      insertRecordingAssets(db, 'r', ['http://127.0.0.1:9/a.png'])
      const handlers = createAssetHandlers(context)
      expect(await handlers['assets:get-status']()).toMatchObject({ total: 1, pending: 1 })

      const first = handlers['assets:fetch']({})
      const second = handlers['assets:fetch']({ retryFailed: true })
      expect(second).toBe(first)
      const summary = await first
      expect(summary).toMatchObject({ attempted: 1, failed: 1 })
      expect(events.map(([channel]) => channel)).toEqual(['assets:progress', 'assets:finished'])
      expect(await handlers['assets:get-status']()).toMatchObject({
        total: 1,
        failed: 1,
        pending: 0
      })
    } finally {
      db.close()
      cleanup()
    }
  })
})
