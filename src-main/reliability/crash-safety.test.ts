import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTempDir, fixturePath } from '../test/test-db'
import { writeCrashDataset } from './crash-dataset'
import { runCrashTest } from './crash-harness'

// The short version of `npm run reliability:crash` (50+ kills on a larger dataset, figures in RELIABILITY.md).
const ACME = fixturePath('acme-small')
const KILLS = 5

let temp: ReturnType<typeof createTempDir>

beforeAll(() => {
  temp = createTempDir('tapedeck-crash-')
})
afterAll(() => temp.cleanup())

describe('tapedeck import SIGKILLed at random points', () => {
  it('leaves a sound cache after every kill, and a rerun ends with the same cache as an uninterrupted import', async () => {
    const recordings = readdirSync(join(ACME, 'recordings'))
      .sort()
      .slice(0, 8)
      .map((name) => join(ACME, 'recordings', name))
    const dataset = await writeCrashDataset({
      dir: join(temp.dir, 'dataset'),
      recordingBytes: 3_000_000,
      bytesPerRecording: 1_000_000,
      seed: 11,
      extraPaths: [
        join(ACME, 'persons.jsonl'),
        join(ACME, 'events.jsonl'),
        join(ACME, 'recordings-variants'),
        ...recordings
      ]
    })

    const seed = Date.now() % 100_000
    const report = await runCrashTest({
      paths: dataset.paths,
      workDir: join(temp.dir, 'runs'),
      kills: KILLS,
      killsPerCycle: 3,
      workers: [0, 2],
      seed
    })

    expect(report.problems, `seed ${seed}`).toEqual([])
    expect(report.kills).toHaveLength(KILLS)
    expect(report.cycles).toBeGreaterThanOrEqual(2)
    // At least one kill landed in the middle of the import: some files in, not all.
    expect(
      report.kills.some((k) => k.filesImported > 0 && k.filesImported < report.referenceFiles),
      `seed ${seed}`
    ).toBe(true)
    expect(report.totals.recordings).toBeGreaterThanOrEqual(12)
    expect(report.totals.events).toBeGreaterThan(1000)
  }, 120_000)
})
