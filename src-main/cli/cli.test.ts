import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, fixturePath } from '../test/test-db'

const run = promisify(execFile)
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tapedeck')
const SESSION = '01a16329-a5db-7c38-8220-3b794d6049a8'

async function tapedeck(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

let temp: ReturnType<typeof createTempDir>
beforeEach(() => {
  temp = createTempDir()
})
afterEach(() => temp.cleanup())

describe('tapedeck import', () => {
  it('prints exactly one JSON object with totals, exits 2 when a file failed, then reports all unchanged', async () => {
    const input = join(temp.dir, 'input')
    mkdirSync(input)
    copyFileSync(fixturePath('acme-small', 'recordings', `${SESSION}.json`), join(input, `${SESSION}.json`))
    copyFileSync(fixturePath('acme-small', 'persons.jsonl'), join(input, 'persons.jsonl'))
    writeFileSync(join(input, 'broken.json'), '{"version":"2023-04-28","data":{"snapshots":[')
    const data = join(temp.dir, 'data')

    const first = await tapedeck(['import', input, '--data', data, '--json'])
    expect(first.code).toBe(2)
    const summary = JSON.parse(first.stdout) as Record<string, unknown>
    expect(Object.keys(summary)).toEqual(['files', 'recordings', 'events', 'persons', 'failures'])
    expect(summary.files).toEqual({ imported: 2, unchanged: 0, failed: 1 })
    expect(summary.recordings).toBe(1)
    expect(summary.persons).toBe(12)
    expect(summary.failures).toEqual([{ file: join(input, 'broken.json'), reason: expect.stringMatching(/truncated/) }])

    const second = await tapedeck(['import', join(input, `${SESSION}.json`), join(input, 'persons.jsonl'), '--data', data, '--json'])
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({ files: { imported: 0, unchanged: 2, failed: 0 }, recordings: 1 })
  })

  it('exits 1 with the usage on a usage error', async () => {
    const result = await tapedeck(['import', '--data', temp.dir])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/Usage: tapedeck import/)
    expect((await tapedeck(['import', 'x', '--bogus'])).code).toBe(1)
    expect((await tapedeck(['no-such-command'])).code).toBe(1)
  })

  it('uses TAPEDECK_DATA when no --data is given, and stats and recordings read the same cache', async () => {
    const data = join(temp.dir, 'from-env')
    const imported = await tapedeck(['import', fixturePath('acme-small', 'recordings', `${SESSION}.json`), '--json'], { TAPEDECK_DATA: data })
    expect(imported.code).toBe(0)
    const stats = JSON.parse((await tapedeck(['stats', '--json'], { TAPEDECK_DATA: data })).stdout) as { recordings: number; dataDir: string }
    expect(stats).toMatchObject({ recordings: 1, dataDir: data })
    const list = JSON.parse((await tapedeck(['recordings', '--data', data, '--json'])).stdout) as {
      total: number
      recordings: Record<string, unknown>[]
    }
    expect(list.total).toBe(1)
    expect(Object.keys(list.recordings[0])).toEqual([
      'id',
      'personEmail',
      'distinctId',
      'startTime',
      'durationMs',
      'activeMs',
      'exceptionCount',
      'consoleErrorCount',
      'startUrl'
    ])
    expect(list.recordings[0]).toMatchObject({ id: SESSION, startTime: '2026-10-22T10:30:37.024Z', durationMs: 54627 })
  })
})
