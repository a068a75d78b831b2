import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/open-database'
import type { WritableDb } from '../db/types'
import { createTempDir } from '../test/test-db'
import { importPaths } from './import-service'
import { JsonStreamScanner } from './json-scanner'

// Inputs the fuzzer (src-main/reliability, issue 7) found the importer mishandling, kept as regression tests.

describe('the JSON scanner on a long string full of escapes', () => {
  it('captures it intact in linear time (it used to look for the closing quote again after every escape)', () => {
    const content = '\\\\'.repeat(2 * 1024 * 1024) + '\\"' + 'x'.repeat(1000) + '\\"'.repeat(100_000)
    const document = Buffer.from(`{"snapshots":["${content}"]}`)
    const captured: string[] = []
    const scanner = new JsonStreamScanner({
      onValueStart: (path, kind) => (kind !== 'scalar' && path.length < 1 ? 'descend' : 'capture'),
      onCapture: (_path, raw) => captured.push(raw.toString('utf8'))
    })
    const started = performance.now()
    for (let i = 0; i < document.length; i += 64 * 1024) scanner.push(document.subarray(i, i + 64 * 1024))
    scanner.end()
    const elapsedMs = performance.now() - started

    expect(captured).toHaveLength(1)
    expect(JSON.parse(captured[0] as string)).toEqual([JSON.parse(`"${content}"`)])
    // About 40 ms here; the quadratic search took minutes for this input.
    expect(elapsedMs).toBeLessThan(3000)
  })
})

describe('an rrweb event nested thousands of levels deep', () => {
  let temp: ReturnType<typeof createTempDir>
  let db: WritableDb
  beforeEach(() => {
    temp = createTempDir('tapedeck-hostile-')
    db = openDatabase(join(temp.dir, 'cache.sqlite'))
  })
  afterEach(() => {
    db.close()
    temp.cleanup()
  })

  it('is dropped with a warning, and the rest of the recording is imported', async () => {
    const depth = 100_000
    const deep = `{"type":3,"timestamp":3,"data":{"source":0,"adds":${'['.repeat(depth)}${']'.repeat(depth)}}}`
    const lines = [
      JSON.stringify({ window_id: 'w1', data: [{ type: 4, timestamp: 1, data: { href: 'https://a.test/', width: 10, height: 10 } }] }),
      JSON.stringify({ window_id: 'w1', data: [{ type: 2, timestamp: 2, data: { node: { type: 0, id: 1, childNodes: [] } } }] }),
      `{"window_id":"w1","data":[${deep}]}`,
      JSON.stringify({ window_id: 'w1', data: [{ type: 3, timestamp: 4, data: { source: 1, positions: [] } }] })
    ]
    const file = join(temp.dir, '0190aaaa-0000-7000-8000-000000000001.jsonl')
    writeFileSync(file, `${lines.join('\n')}\n`)

    const summary = await importPaths(db, [file], { workers: 0 })

    expect(summary.outcomes[0]).toMatchObject({ status: 'imported', recordings: 1 })
    expect(summary.outcomes[0]?.warnings.join('\n')).toMatch(/1 event\(s\) dropped: nested too deeply to read/)
    expect(db.prepare(`SELECT event_count FROM recordings`).pluck().get()).toBe(3)
  })
})
