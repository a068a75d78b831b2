import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../../db/open-database'
import { getCachePath } from '../../core/data-dir'
import { createTempDir } from '../../test/test-db'
import { loadAcmePostHogData } from '../../sync/testing/acme-posthog-data'
import {
  startFakePostHogServer,
  type FakePostHogServer
} from '../../sync/testing/fake-posthog-server'
import { dumpCacheContent } from '../../sync/testing/cache-dump'

const BIN = fileURLToPath(new URL('../../../bin/tapedeck', import.meta.url))
const API_KEY = 'phx_cli_test_key_9f8e7d6c5b4a'
const data = loadAcmePostHogData()

let server: FakePostHogServer
let temp: { dir: string; cleanup: () => void }

beforeAll(async () => {
  temp = createTempDir('tapedeck-sync-cli-')
  server = await startFakePostHogServer(data, { apiKey: API_KEY, projectId: '7', maxPageSize: 10 })
})
afterAll(async () => {
  await server.close()
  temp.cleanup()
})

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs `tapedeck ARGS`; `killAfterRequests` SIGKILLs it once the server has answered that many more requests. */
function tapedeck(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; killAfterRequests?: number } = {}
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, TAPEDECK_POSTHOG_KEY: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    if (options.killAfterRequests !== undefined) {
      let left = options.killAfterRequests
      server.onRequest(() => {
        if (--left === 0) child.kill('SIGKILL')
      })
    }
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      server.onRequest(null)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

async function addSource(dataDir: string): Promise<void> {
  const added = await tapedeck(
    [
      'sources',
      'add-posthog',
      '--data',
      dataDir,
      '--host',
      server.url,
      '--project',
      '7',
      '--since',
      '2026-10-01',
      '--until',
      '2026-11-01'
    ],
    { env: { TAPEDECK_POSTHOG_KEY: API_KEY } }
  )
  expect(added.stderr).toBe('')
  expect(added.code).toBe(0)
  expect(added.stdout + added.stderr).not.toContain(API_KEY)
}

function dump(dataDir: string) {
  const db = openDatabase(getCachePath(dataDir))
  try {
    return dumpCacheContent(db, dataDir)
  } finally {
    db.close()
  }
}

describe('tapedeck sources / sync', () => {
  it('adds, lists and removes sources; the key goes to a 0600 file and never to the output', async () => {
    const dataDir = join(temp.dir, 'manage')
    await addSource(dataDir)
    const folder = await tapedeck(['sources', 'add-folder', temp.dir, '--data', dataDir])
    expect(folder.code).toBe(0)
    const list = await tapedeck(['sources', 'list', '--json', '--data', dataDir])
    const sources = JSON.parse(list.stdout) as { id: number; kind: string; hasKey: boolean }[]
    expect(sources.map((s) => [s.kind, s.hasKey])).toEqual([
      ['posthog', true],
      ['folder', false]
    ])
    expect(list.stdout).not.toContain(API_KEY)
    const keyFile = join(dataDir, 'keys', `source-${sources[0].id}.key`)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(API_KEY)

    const noKey = await tapedeck([
      'sources',
      'add-posthog',
      '--data',
      dataDir,
      '--host',
      server.url,
      '--project',
      '8'
    ])
    expect(noKey.code).toBe(1)
    expect(noKey.stderr).toMatch(/TAPEDECK_POSTHOG_KEY/)

    expect(
      (await tapedeck(['sources', 'remove', String(sources[0].id), '--data', dataDir])).code
    ).toBe(0)
    expect(() => statSync(keyFile)).toThrow()
    expect((await tapedeck(['sources', 'remove', '99', '--data', dataDir])).code).toBe(2)
  })

  it('a sync killed (SIGKILL) at random points, then rerun, ends with exactly the cache of a clean sync', async () => {
    const cleanDir = join(temp.dir, 'clean')
    await addSource(cleanDir)
    const clean = await tapedeck(['sync', '--json', '--data', cleanDir])
    expect(clean.stderr).toBe('')
    expect(clean.code).toBe(0)
    const summary = JSON.parse(clean.stdout) as {
      status: string
      runs: { itemsImported: number }[]
    }
    expect(summary.status).toBe('completed')
    expect(summary.runs[0].itemsImported).toBe(data.recordings.length)
    const expected = dump(cleanDir)
    expect(expected.recordings.length).toBe(data.recordings.length)

    const killedDir = join(temp.dir, 'killed')
    await addSource(killedDir)
    // Deterministic "random" points spread over the listing, the downloads and the imports.
    let kills = 0
    for (const after of [3, 17, 41, 64]) {
      const killed = await tapedeck(['sync', '--json', '--data', killedDir], {
        killAfterRequests: after
      })
      if (killed.code === 0) break
      expect(killed.signal).toBe('SIGKILL')
      kills++
    }
    expect(kills).toBeGreaterThanOrEqual(3)
    const rerun = await tapedeck(['sync', '--json', '--data', killedDir])
    expect(rerun.code).toBe(0)
    expect(JSON.parse(rerun.stdout)).toMatchObject({ status: 'completed' })

    expect(dump(killedDir)).toEqual(expected)
    const leftovers = (
      readdirSync(join(killedDir, 'sync'), { recursive: true }) as string[]
    ).filter((f) => f.endsWith('.part'))
    expect(leftovers).toEqual([])

    const again = await tapedeck(['sync', '--json', '--data', killedDir])
    expect(JSON.parse(again.stdout).runs[0]).toMatchObject({ itemsImported: 0, itemsFailed: 0 })
  })
})
