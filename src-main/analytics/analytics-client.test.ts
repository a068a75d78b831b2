import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FunnelDefinition } from '@shared/analytics'
import { openDatabase } from '../db/open-database'
import type { WritableDb } from '../db/types'
import { insertEvents } from '../test/analytics-builders'
import { createTempDir } from '../test/test-db'
import { createWorkerAnalyticsService } from './analytics-client'
import { createLocalAnalyticsService, type AnalyticsService } from './analytics-engine'

const T0 = Date.UTC(2026, 9, 12)
const DEFINITION: FunnelDefinition = { steps: [{ event: 'a' }, { event: 'b' }], windowMs: 60_000 }

describe('the analytics worker', () => {
  let temp: ReturnType<typeof createTempDir>
  let db: WritableDb
  let service: AnalyticsService | null = null

  beforeEach(() => {
    temp = createTempDir()
    db = openDatabase(join(temp.dir, 'cache.sqlite'))
    insertEvents(db, [
      { event: 'a', distinctId: 'u1', timestampMs: T0 },
      { event: 'b', distinctId: 'u1', timestampMs: T0 + 1000 },
      { event: 'a', distinctId: 'u2', timestampMs: T0 }
    ])
  })

  afterEach(async () => {
    await service?.close()
    db.close()
    temp.cleanup()
  })

  it('answers like the in-process service, and sees data written after it started', async () => {
    service = createWorkerAnalyticsService({ dbFile: join(temp.dir, 'cache.sqlite') })
    const local = createLocalAnalyticsService(db)
    const viaWorker = await service.computeFunnel(DEFINITION)
    const inProcess = await local.computeFunnel(DEFINITION)
    expect(viaWorker.steps).toEqual(inProcess.steps)
    expect(viaWorker.steps.map((s) => s.count)).toEqual([2, 1])

    insertEvents(db, [{ event: 'b', distinctId: 'u2', timestampMs: T0 + 2000 }])
    db.prepare(
      `INSERT INTO imports (path, size_bytes, mtime_ms, status, started_at_ms) VALUES ('x', 1, 1, 'imported', 1)`
    ).run()
    expect((await service.computeFunnel(DEFINITION)).steps.map((s) => s.count)).toEqual([2, 2])
  })

  it('answers a request sent during the warm-up between its steps, before the warm-up ends', async () => {
    service = createWorkerAnalyticsService({ dbFile: join(temp.dir, 'cache.sqlite') })
    const order: string[] = []
    const warmUp = service.warmUp().then((result) => void order.push(`warm-up ${result.events}`))
    const funnel = service
      .computeFunnel(DEFINITION)
      .then((result) => void order.push(`funnel ${result.steps[0].count}`))
    await Promise.all([warmUp, funnel])
    expect(order).toEqual(['funnel 2', 'warm-up 3'])
    // The warm-up computed the default session statistics; they are kept.
    expect((await service.getSessionStats({ definition: { kind: 'session-id' } })).sessions).toBe(0)
  })

  it('reports a failing query as a rejected promise and keeps serving', async () => {
    service = createWorkerAnalyticsService({ dbFile: join(temp.dir, 'cache.sqlite') })
    await expect(service.computeFunnel({ steps: [{ event: 'a' }], windowMs: 1 })).rejects.toThrow(
      /2 to 10 steps/
    )
    expect((await service.listEventNames()).map((e) => e.name)).toEqual(['a', 'b'])
  })

  it('falls back to the in-process service when the worker cannot start', async () => {
    service = createWorkerAnalyticsService({
      dbFile: join(temp.dir, 'cache.sqlite'),
      workerUrl: new URL('file:///nonexistent/analytics-worker.js'),
      fallback: () => createLocalAnalyticsService(db)
    })
    expect((await service.computeFunnel(DEFINITION)).steps.map((s) => s.count)).toEqual([2, 1])
  })
})
