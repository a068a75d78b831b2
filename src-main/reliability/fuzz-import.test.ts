import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTempDir, fixturePath } from '../test/test-db'
import { runFuzz } from './fuzz-runner'

// The short version of `npm run reliability:fuzz` (thousands of cases, figures in RELIABILITY.md).
const CASES = 200

let temp: ReturnType<typeof createTempDir>
beforeAll(() => {
  temp = createTempDir('tapedeck-fuzz-')
})
afterAll(() => temp.cleanup())

describe('importing malformed exports', () => {
  it('never crashes or hangs, names why each bad file failed, and changes nothing already imported', async () => {
    const seed = Date.now() % 1_000_000
    const report = await runFuzz({
      cases: CASES,
      seed,
      workDir: join(temp.dir, 'work'),
      fixturesDir: fixturePath(),
      hugeStringBytes: 2 * 1024 * 1024,
      deepNesting: 20_000,
      bombs: [{ kind: 'string', inflatedBytes: 512 * 1024 * 1024 }],
      caseTimeoutMs: 20_000
    })

    expect(report.problems, `seed ${seed}`).toEqual([])
    expect(report.cases).toBe(CASES)
    const stats = Object.values(report.byMutation)
    const failed = stats.reduce((sum, s) => sum + s.failed, 0)
    // Most mutations break the file, and every mutation kind came up.
    expect(failed).toBeGreaterThan(CASES / 3)
    expect(Object.keys(report.byMutation).length).toBeGreaterThanOrEqual(12)
  }, 120_000)
})
