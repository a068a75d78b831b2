import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixturePath } from '../test/test-db'
import { createFileRunner, type FileRunner } from './file-runner'
import type { FileMessage } from './import-file'

const RECORDINGS = fixturePath('acme-small/recordings')
const files = readdirSync(RECORDINGS)
  .filter((name) => name.endsWith('.json'))
  .slice(0, 8)
  .map((name) => join(RECORDINGS, name))

describe('the worker-thread file runner', () => {
  let runner: FileRunner
  beforeAll(async () => {
    runner = await createFileRunner(2)
  })
  afterAll(async () => {
    await runner.close()
  })

  it('runs several files per worker at once and hands each file its own messages, in order, before its result', async () => {
    expect(runner.concurrency).toBeGreaterThan(2)
    const log: string[] = []
    const results = await Promise.all(
      files.map((path) =>
        runner
          .run(path, statSync(path).size, async (message: FileMessage) => {
            if (message.type === 'recording') {
              // A slow writer: the next file's messages must still wait for this one to be stored.
              await new Promise((resolve) => setTimeout(resolve, 5))
              log.push(`${path} stored ${message.recording.id}`)
            }
          })
          .then((result) => {
            log.push(`${path} done`)
            return result
          })
      )
    )
    for (const path of files) {
      const stored = log.findIndex((line) => line.startsWith(`${path} stored`))
      expect(stored).toBeGreaterThanOrEqual(0)
      expect(stored).toBeLessThan(log.indexOf(`${path} done`))
      expect(log[stored]).toContain(path.split('/').at(-1)!.replace('.json', ''))
    }
    expect(
      results.every((r) => r.kind === 'recording' && /^[0-9a-f]{64}$/.test(r.contentHash))
    ).toBe(true)
  })

  it('fails only the file whose store throws, and keeps running the others', async () => {
    const [bad, ...good] = files.slice(0, 5)
    const outcomes = await Promise.allSettled(
      [bad, ...good].map((path) =>
        runner.run(path, statSync(path).size, async (message) => {
          if (path === bad && message.type === 'recording') throw new Error('disk says no')
        })
      )
    )
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { message: 'disk says no' } })
    expect(outcomes.slice(1).every((o) => o.status === 'fulfilled')).toBe(true)
  })
})
