import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CacheError } from '../db/cache-errors'
import { openDatabase } from '../db/open-database'
import { searchRecordings } from '../db/recording-queries'
import { importPaths } from '../ingest/import-service'
import { createTempDir, fixturePath } from '../test/test-db'
import { checkCache, fingerprintCache } from './cache-check'
import { runTapedeck, type RunAs } from './cli-process'
import { withDb } from './crash-harness'

const ACME = fixturePath('acme-small')
const isRoot = process.getuid?.() === 0
/** Root ignores file permissions: the read-only tests then run the CLI as `nobody`. */
const RUN_AS: RunAs | undefined = isRoot ? { uid: 65534, gid: 65534 } : undefined

let temp: ReturnType<typeof createTempDir>
let reference: Record<string, string>
let referenceDir: string

beforeAll(async () => {
  temp = createTempDir('tapedeck-disk-')
  chmodSync(temp.dir, 0o755)
  referenceDir = join(temp.dir, 'reference')
  expect((await runTapedeck(['import', ACME, '--data', referenceDir, '--json'])).code).toBe(0)
  reference = withDb(referenceDir, (db) => fingerprintCache(db))
}, 60_000)
afterAll(() => temp.cleanup())

/** A CLI failure the user can act on: one line naming the folder, no stack trace. */
function expectClearError(stderr: string, pattern: RegExp, folder: string): void {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(lines[0]).toMatch(pattern)
  expect(lines[0]).toContain(folder)
}

/** A tmpfs of `sizeMb`, when this process may mount one (root, with mount rights); null otherwise. */
function mountTmpfs(dir: string, sizeMb: number): boolean {
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], {
      stdio: 'ignore'
    })
    return true
  } catch {
    return false
  }
}

describe('a full disk', () => {
  it('on a real small file system (tmpfs): a clear error, a sound and readable cache, and a rerun finishes the job', async (context) => {
    const mountDir = join(temp.dir, 'tmpfs')
    if (!isRoot || !mountTmpfs(mountDir, 6)) {
      // Documented in RELIABILITY.md: without mount rights the max_page_count test below stands in for this one.
      context.skip()
      return
    }
    try {
      const dataDir = join(mountDir, 'data')
      const full = await runTapedeck(['import', ACME, '--data', dataDir, '--json'])
      expect(full.code).toBe(1)
      expectClearError(full.stderr, /is full: free some space and try again/, dataDir)

      const check = withDb(dataDir, (db) => checkCache(db))
      expect(check.problems).toEqual([])
      const listed = await runTapedeck(['recordings', '--data', dataDir, '--json'])
      expect(listed.code, listed.stderr).toBe(0)
      expect(JSON.parse(listed.stdout).total).toBe(check.recordings)
      expect((await runTapedeck(['stats', '--data', dataDir, '--json'])).code).toBe(0)

      execFileSync('mount', ['-o', 'remount,size=256m', mountDir])
      const rerun = await runTapedeck(['import', ACME, '--data', dataDir, '--json'])
      expect(rerun.code, rerun.stderr).toBe(0)
      expect(withDb(dataDir, (db) => fingerprintCache(db))).toEqual(reference)
    } finally {
      execFileSync('umount', [mountDir])
    }
  }, 120_000)

  it('simulated with max_page_count: the run stops with a CacheError, keeps what it committed, and resumes', async () => {
    const db = openDatabase(join(temp.dir, 'page-limit', 'cache.sqlite'))
    try {
      // Room for about two thirds of what the whole import needs (the events files come first and take most).
      const pages = db.pragma('page_count', { simple: true }) as number
      const needed = withDb(
        referenceDir,
        (ref) => ref.pragma('page_count', { simple: true }) as number
      )
      db.pragma(`max_page_count = ${pages + Math.floor(needed * 0.7)}`)
      const error = await importPaths(db, [ACME], { workers: 0 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CacheError)
      expect((error as CacheError).code).toBe('disk-full')

      expect(checkCache(db).problems).toEqual([])
      const kept = searchRecordings(db, {}).total
      expect(kept).toBeGreaterThan(0)
      expect(kept).toBeLessThan(38)

      db.pragma('max_page_count = 1073741823')
      const rerun = await importPaths(db, [ACME], { workers: 0 })
      expect(rerun.files.failed).toBe(0)
      expect(fingerprintCache(db)).toEqual(reference)
    } finally {
      db.close()
    }
  }, 60_000)
})

describe('a read-only data folder', () => {
  function makeReadOnly(dir: string, readOnly: boolean): void {
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), readOnly ? 0o444 : 0o644)
    chmodSync(dir, readOnly ? 0o555 : 0o755)
  }

  it('refuses an import with a clear error and leaves the cache as it was', async () => {
    const dataDir = join(temp.dir, 'read-only')
    expect(
      (await runTapedeck(['import', join(ACME, 'recordings'), '--data', dataDir, '--json'])).code
    ).toBe(0)
    const before = withDb(dataDir, (db) => fingerprintCache(db))
    makeReadOnly(dataDir, true)
    try {
      const refused = await runTapedeck(['import', ACME, '--data', dataDir, '--json'], {}, RUN_AS)
      expect(refused.code).toBe(1)
      expectClearError(
        refused.stderr,
        /is read-only: Tapedeck needs to write its cache there/,
        dataDir
      )
    } finally {
      makeReadOnly(dataDir, false)
    }
    const after = withDb(dataDir, (db) => ({
      check: checkCache(db),
      fingerprint: fingerprintCache(db)
    }))
    expect(after.check.problems).toEqual([])
    expect(after.fingerprint).toEqual(before)
    const rerun = await runTapedeck(['import', ACME, '--data', dataDir, '--json'])
    expect(rerun.code, rerun.stderr).toBe(0)
    expect(withDb(dataDir, (db) => fingerprintCache(db))).toEqual(reference)
  }, 60_000)

  it('refuses to create a data folder inside a read-only one, saying so', async () => {
    const parent = join(temp.dir, 'read-only-parent')
    mkdirSync(parent)
    chmodSync(parent, 0o555)
    try {
      const refused = await runTapedeck(
        ['stats', '--data', join(parent, 'new'), '--json'],
        {},
        RUN_AS
      )
      expect(refused.code).toBe(1)
      expectClearError(
        refused.stderr,
        /cannot be opened for writing \(permission denied\)/,
        join(parent, 'new')
      )
    } finally {
      chmodSync(parent, 0o755)
      rmSync(parent, { recursive: true, force: true })
    }
  }, 30_000)
})
