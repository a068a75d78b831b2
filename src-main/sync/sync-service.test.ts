import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { copyFileSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { closeAppContext, openAppContext, type AppContext } from '../core/app-context'
import { createTempDir, fixturePath } from '../test/test-db'
import type { EventChannel, EventChannels } from '@shared/ipc-contract'
import type { SyncProgress, SyncSummary } from '@shared/contract/sync-channels'
import { loadAcmePostHogData } from './testing/acme-posthog-data'
import { startFakePostHogServer, type FakePostHogServer } from './testing/fake-posthog-server'
import { createSyncService, type SyncService } from './sync-service'
import { getKeysDir } from './key-store'

const data = loadAcmePostHogData()
const ids = data.recordings.map((r) => r.id)
const API_KEY = 'phx_service_test_key_0123456789'

let temp: { dir: string; cleanup: () => void }
let context: AppContext
let service: SyncService | null = null
let events: { channel: EventChannel; payload: unknown }[] = []

beforeEach(() => {
  temp = createTempDir('tapedeck-sync-service-')
  events = []
  context = openAppContext({
    dataDir: join(temp.dir, 'data'),
    shell: 'web',
    emit: <E extends EventChannel>(channel: E, payload: EventChannels[E]) =>
      void events.push({ channel, payload })
  })
})

afterEach(() => {
  service?.dispose()
  service = null
  closeAppContext(context)
  temp.cleanup()
})

const recordingCount = () =>
  (context.db.prepare('SELECT COUNT(*) AS n FROM recordings').get() as { n: number }).n

/** Polls until `check` is true (the worker writes through its own connection; this one sees it on commit). */
async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const finished = () =>
  events.filter((e) => e.channel === 'sync:finished').map((e) => e.payload as SyncSummary)
const progressEvents = () =>
  events.filter((e) => e.channel === 'sync:progress').map((e) => e.payload as SyncProgress)

describe('sync service (worker thread)', () => {
  it('watches a folder: files and folders dropped in while it runs are imported without a restart', async () => {
    const folder = join(temp.dir, 'exports')
    mkdirSync(folder)
    service = createSyncService(context, { quietMs: 300, watchOptions: { debounceMs: 100 } })
    const added = await service.addFolderSource({ path: folder })
    expect(added.ok).toBe(true)
    expect(service.listSources()[0]).toMatchObject({
      kind: 'folder',
      location: folder,
      isWatched: true
    })
    await service.whenIdle()

    // A file copied in now: too fresh at first, picked up once it has been quiet for 300 ms.
    copyFileSync(
      fixturePath('acme-small', 'recordings', `${ids[0]}.json`),
      join(folder, `${ids[0]}.json`)
    )
    await waitFor(() => recordingCount() === 1)

    // A whole folder dropped in.
    mkdirSync(join(folder, 'batch'))
    for (const id of ids.slice(1, 3)) {
      copyFileSync(
        fixturePath('acme-small', 'recordings', `${id}.json`),
        join(folder, 'batch', `${id}.json`)
      )
    }
    await waitFor(() => recordingCount() === 3)
    await waitFor(() => finished().some((s) => s.runs.some((r) => r.itemsImported === 2)))

    expect(finished().every((s) => s.status === 'completed')).toBe(true)
    expect(finished().some((s) => s.hasChanges)).toBe(true)
    expect(progressEvents().some((p) => p.unit === 'files' && p.itemsTotal > 0)).toBe(true)
    expect(service.listSources()[0].lastRun).toMatchObject({ status: 'completed' })
  })

  it('refuses a missing folder, a file and a duplicate with reasons', async () => {
    service = createSyncService(context, { watch: false })
    expect(await service.addFolderSource({ path: join(temp.dir, 'nope') })).toMatchObject({
      ok: false,
      reason: 'not-found'
    })
    expect(
      await service.addFolderSource({ path: fixturePath('acme-small', 'README.md') })
    ).toMatchObject({
      ok: false,
      reason: 'not-a-folder'
    })
    expect(await service.addFolderSource({ path: temp.dir })).toMatchObject({ ok: true })
    expect(await service.addFolderSource({ path: `${temp.dir}/` })).toMatchObject({
      ok: false,
      reason: 'duplicate'
    })
    expect(await service.addFolderSource({})).toMatchObject({ ok: false, reason: 'invalid' })
  })
})

describe('sync service with a PostHog source', () => {
  let server: FakePostHogServer
  beforeEach(async () => {
    server = await startFakePostHogServer(data, {
      apiKey: API_KEY,
      projectId: '42',
      maxPageSize: 10
    })
  })
  afterEach(async () => {
    await server.close()
  })

  async function addPostHog(apiKey = API_KEY) {
    return (service as SyncService).addPostHogSource({
      host: server.url,
      projectId: '42',
      apiKey,
      sinceMs: Date.parse('2026-10-01T00:00:00Z'),
      untilMs: Date.parse('2026-11-01T00:00:00Z')
    })
  }

  it('checks the key when the source is added, and stores it in a 0600 file', async () => {
    service = createSyncService(context, { watch: false })
    expect(await addPostHog('phx_wrong')).toMatchObject({ ok: false, reason: 'unauthorized' })
    expect(
      await service.addPostHogSource({
        host: 'http://127.0.0.1:9',
        projectId: '42',
        apiKey: API_KEY
      })
    ).toMatchObject({ ok: false, reason: 'unreachable' })
    expect(
      await service.addPostHogSource({ host: 'ftp://x', projectId: '42', apiKey: API_KEY })
    ).toMatchObject({
      ok: false,
      reason: 'invalid'
    })
    const added = await addPostHog()
    expect(added).toMatchObject({
      ok: true,
      source: { kind: 'posthog', projectId: '42', hasKey: true }
    })
    expect(JSON.stringify(service.listSources())).not.toContain(API_KEY)
    const keyFile = join(
      getKeysDir(context.dataDir),
      `source-${added.ok ? added.source.id : 0}.key`
    )
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(statSync(getKeysDir(context.dataDir)).mode & 0o777).toBe(0o700)

    expect(service.removeSource(added.ok ? added.source.id : 0)).toEqual({ ok: true })
    expect(() => statSync(keyFile)).toThrow()
  })

  it('pauses (no more requests), resumes, cancels, and a rerun completes', async () => {
    service = createSyncService(context, { watch: false })
    await addPostHog()
    expect(service.start({})).toEqual({ ok: true })
    expect(service.start({})).toEqual({ ok: false, reason: 'already-running' })
    await waitFor(() => progressEvents().some((p) => p.phase === 'downloading' && p.itemsDone > 0))
    expect(service.pause().state).toBe('paused')

    // The batch in flight may finish; then nothing moves while paused.
    let seen = -1
    await waitFor(() => {
      const stable = server.requests.length === seen
      seen = server.requests.length
      return stable
    }, 20_000).catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 600))
    const whilePaused = server.requests.length
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(server.requests.length).toBe(whilePaused)
    expect(service.status()).toMatchObject({ state: 'paused', progress: { isPaused: true } })
    const importedWhilePaused = recordingCount()
    expect(importedWhilePaused).toBeLessThan(38)

    service.resume()
    await waitFor(() => server.requests.length > whilePaused)
    expect(service.cancel().state).toBe('cancelling')
    await service.whenIdle()
    expect(service.status().lastSummary?.status).toBe('cancelled')
    expect(finished().at(-1)?.status).toBe('cancelled')
    expect(recordingCount()).toBeLessThan(38)

    expect(service.start({})).toEqual({ ok: true })
    await service.whenIdle()
    expect(service.status().lastSummary).toMatchObject({ status: 'completed' })
    expect(recordingCount()).toBe(38)
    expect(service.listSources()[0].lastRun).toMatchObject({ status: 'completed', itemsFailed: 0 })
  })
})
