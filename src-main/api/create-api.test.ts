import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '@shared/ipc-contract'
import type { RecordingId } from '@shared/domain'
import { closeAppContext, openAppContext, type AppContext } from '../core/app-context'
import { importPaths } from '../ingest/import-service'
import { createTempDir, fixturePath } from '../test/test-db'
import { createApi } from './create-api'

let temp: { dir: string; cleanup: () => void }
let context: AppContext

beforeAll(async () => {
  temp = createTempDir()
  context = openAppContext({ dataDir: temp.dir, shell: 'web' })
  await importPaths(context.db, [fixturePath('acme-small', 'recordings', '01a13124-d4cc-7a14-ba04-ef75b6b46018.json'), fixturePath('acme-small', 'events.jsonl')])
})

afterAll(() => {
  closeAppContext(context)
  temp.cleanup()
})

describe('createApi', () => {
  it('answers every channel of the contract', () => {
    const api = createApi(context)
    expect(Object.keys(api).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
    for (const handler of Object.values(api)) expect(typeof handler).toBe('function')
  })

  it('tells the renderer about the app and the cache', async () => {
    const api = createApi(context)
    const info = await api['app:get-info']()
    expect(info).toMatchObject({ shell: 'web', dataDir: temp.dir, demoImported: false })
    expect(info.schemaVersion).toBeGreaterThanOrEqual(1)
    const totals = await api['app:get-totals']()
    expect(totals.recordings).toBe(1)
    expect(totals.cacheBytes).toBeGreaterThan(0)
  })

  it('lists the import log newest first, and only failures when asked', async () => {
    const api = createApi(context)
    const log = await api['imports:list']({})
    expect(log.map((e) => e.file.split('/').pop()).sort()).toEqual(['01a13124-d4cc-7a14-ba04-ef75b6b46018.json', 'events.jsonl'])
    expect(log[0]?.id).toBeGreaterThan(log[1]?.id ?? Infinity)
    expect(log.every((e) => e.status === 'imported')).toBe(true)
    expect(await api['imports:list']({ onlyFailed: true })).toEqual([])
    expect(await api['imports:list']({ limit: 1 })).toHaveLength(1)
  })

  it('serves a recording and its first chunk as bytes', async () => {
    const api = createApi(context)
    const detail = await api['recordings:get']('01a13124-d4cc-7a14-ba04-ef75b6b46018' as RecordingId)
    expect(detail?.chunks.length).toBeGreaterThan(0)
    const chunk = await api['recordings:get-chunk']('01a13124-d4cc-7a14-ba04-ef75b6b46018' as RecordingId, 0)
    expect(chunk).toBeInstanceOf(Uint8Array)
  })

  it('serves the detail in two parts for the player: playback first, then exceptions and timeline', async () => {
    const api = createApi(context)
    const id = '01a13124-d4cc-7a14-ba04-ef75b6b46018' as RecordingId
    const detail = await api['recordings:get'](id)
    const playback = await api['recordings:get-playback'](id)
    const timeline = await api['recordings:get-timeline'](id)
    expect(detail?.items.length).toBeGreaterThan(0)
    expect(playback).not.toHaveProperty('items')
    expect(playback).not.toHaveProperty('exceptions')
    expect({ ...playback, ...timeline }).toEqual(detail)
    expect(await api['recordings:get-playback']('no-such-recording' as RecordingId)).toBeNull()
    expect(await api['recordings:get-timeline']('no-such-recording' as RecordingId)).toBeNull()
  })
})
