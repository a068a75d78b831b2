import { describe, expect, it } from 'vitest'
import type { EventChannel } from '@shared/ipc-contract'
import type { AppContext } from '../core/app-context'
import { createTempDir, createTestDb, fixturePath } from '../test/test-db'
import { createImportRunner, importDemoIfEmpty } from './import-runner'

const recording = (id: string) => fixturePath('acme-small', 'recordings', `${id}.json`)
const FIRST = '01a13484-8534-7c1d-9d8d-d9cfc50a8d47'
const SECOND = '01a14b66-4d5a-7ded-9392-54eeaaf30fe2'

function createContext() {
  const db = createTestDb()
  const { dir, cleanup } = createTempDir()
  const events: EventChannel[] = []
  const context: AppContext = {
    db,
    dataDir: dir,
    shell: 'electron',
    version: '0',
    demoImported: false,
    emit: (channel) => events.push(channel)
  }
  return { context, events, close: () => (db.close(), cleanup()) }
}

describe('createImportRunner', () => {
  it('runs imports one after another and reports each with progress and a summary', async () => {
    const { context, events, close } = createContext()
    try {
      const finished: string[][] = []
      const runner = createImportRunner(context, {
        onFinished: (_s, paths) => finished.push([...paths])
      })
      const first = runner.run([recording(FIRST)])
      const second = runner.run([recording(SECOND), recording(FIRST)])
      expect(runner.isBusy()).toBe(true)
      const [a, b] = await Promise.all([first, second])
      expect(runner.isBusy()).toBe(false)
      expect(a.files).toEqual({ imported: 1, unchanged: 0, failed: 0 })
      expect(b.files).toEqual({ imported: 1, unchanged: 1, failed: 0 })
      expect(finished).toEqual([[recording(FIRST)], [recording(SECOND), recording(FIRST)]])
      expect(events.filter((e) => e === 'import:finished')).toHaveLength(2)
      expect(events).toContain('import:progress')
      expect(events.indexOf('import:progress')).toBeLessThan(events.indexOf('import:finished'))
      // Recordings arrive with their asset URLs (the importer collects them).
      const assets = context.db.prepare(`SELECT COUNT(*) AS n FROM recording_assets`).get() as {
        n: number
      }
      expect(assets.n).toBeGreaterThan(0)
    } finally {
      close()
    }
  })

  it('keeps going after a failed run', async () => {
    const { context, close } = createContext()
    try {
      const runner = createImportRunner(context)
      const broken = await runner.run([fixturePath('does-not-exist.json')])
      expect(broken.files.failed).toBe(1)
      expect((await runner.run([recording(FIRST)])).files.imported).toBe(1)
    } finally {
      close()
    }
  })
})

describe('importDemoIfEmpty', () => {
  it('imports the demo data into an empty cache only', async () => {
    const { context, close } = createContext()
    try {
      const runner = createImportRunner(context)
      const demo = fixturePath('acme-small', 'recordings-variants')
      const summary = await importDemoIfEmpty(context, runner, demo)
      expect(summary?.files.imported).toBeGreaterThan(0)
      expect(context.demoImported).toBe(true)
      context.demoImported = false
      expect(await importDemoIfEmpty(context, runner, demo)).toBeNull()
      expect(context.demoImported).toBe(false)
    } finally {
      close()
    }
  })
})
