import { createHash } from 'node:crypto'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/open-database'
import type { WritableDb } from '../db/types'
import { createTempDir } from '../test/test-db'
import { createCsvReader } from './csv-reader'
import { importPaths, tooLargeReason } from './import-service'
import { JsonStreamScanner } from './json-scanner'
import { readInputBytes } from './read-input'
import { Utf8Check } from './utf8-check'

// Inputs the fuzzer (src-main/reliability, issue 7) found the importer mishandling, kept as regression tests.

describe('the JSON scanner on a long string full of escapes', () => {
  it('captures it intact in linear time (it used to look for the closing quote again after every escape)', () => {
    const content =
      '\\\\'.repeat(2 * 1024 * 1024) + '\\"' + 'x'.repeat(1000) + '\\"'.repeat(100_000)
    const document = Buffer.from(`{"snapshots":["${content}"]}`)
    const captured: string[] = []
    const scanner = new JsonStreamScanner({
      onValueStart: (path, kind) => (kind !== 'scalar' && path.length < 1 ? 'descend' : 'capture'),
      onCapture: (_path, raw) => captured.push(raw.toString('utf8'))
    })
    const started = performance.now()
    for (let i = 0; i < document.length; i += 64 * 1024)
      scanner.push(document.subarray(i, i + 64 * 1024))
    scanner.end()
    const elapsedMs = performance.now() - started

    expect(captured).toHaveLength(1)
    expect(JSON.parse(captured[0] as string)).toEqual([JSON.parse(`"${content}"`)])
    // About 40 ms here; the quadratic search took minutes for this input.
    expect(elapsedMs).toBeLessThan(3000)
  })
})

describe('a property name JSON.parse refuses', () => {
  it('fails the scan as bad JSON, not as an internal error', () => {
    const scanner = new JsonStreamScanner({
      onValueStart: (path, kind) =>
        path.length === 0 && kind !== 'scalar' ? 'descend' : 'capture',
      onCapture: () => undefined
    })
    // A key with an escape and a raw control character: the scanner decodes escaped keys with JSON.parse.
    expect(() => scanner.push(Buffer.from('{"a\\n\u0001b": 1}'))).toThrow(
      expect.objectContaining({
        name: 'ImportError',
        code: 'bad-json',
        message: expect.stringMatching(/bad property name/)
      })
    )
  })
})

describe('the CSV reader on a long quoted field full of "" escapes', () => {
  it('reads it in linear time (it used to look for the next line feed again after every escape) and counts lines', () => {
    const field = '""'.repeat(2 * 1024 * 1024)
    const text = `a,b\n"${field}\nsecond line",x\n"unterminated\n`
    const reader = createCsvReader()
    const records: string[][] = []
    const started = performance.now()
    for (let i = 0; i < text.length; i += 64 * 1024)
      records.push(...reader.push(text.slice(i, i + 64 * 1024)))
    const elapsedMs = performance.now() - started

    expect(records).toEqual([
      ['a', 'b'],
      ['"'.repeat(2 * 1024 * 1024) + '\nsecond line', 'x']
    ])
    expect(() => reader.end()).toThrow(/unterminated quoted field starting on line 4/)
    // About 100 ms here; the quadratic search took 20 s for 8 MB.
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
      JSON.stringify({
        window_id: 'w1',
        data: [{ type: 4, timestamp: 1, data: { href: 'https://a.test/', width: 10, height: 10 } }]
      }),
      JSON.stringify({
        window_id: 'w1',
        data: [{ type: 2, timestamp: 2, data: { node: { type: 0, id: 1, childNodes: [] } } }]
      }),
      `{"window_id":"w1","data":[${deep}]}`,
      JSON.stringify({
        window_id: 'w1',
        data: [{ type: 3, timestamp: 4, data: { source: 1, positions: [] } }]
      })
    ]
    const file = join(temp.dir, '0190aaaa-0000-7000-8000-000000000001.jsonl')
    writeFileSync(file, `${lines.join('\n')}\n`)

    const summary = await importPaths(db, [file], { workers: 0 })

    expect(summary.outcomes[0]).toMatchObject({ status: 'imported', recordings: 1 })
    expect(summary.outcomes[0]?.warnings.join('\n')).toMatch(
      /1 event\(s\) dropped: nested too deeply to read/
    )
    expect(db.prepare(`SELECT event_count FROM recordings`).pluck().get()).toBe(3)
  })
})

describe('a gzip file the reader stops early', () => {
  let temp: ReturnType<typeof createTempDir>
  beforeEach(() => {
    temp = createTempDir('tapedeck-hostile-gz-')
  })
  afterEach(() => temp.cleanup())

  it('fails as a bomb instead of hanging (the gunzip pump waited forever for a drain that never came)', async () => {
    const file = join(temp.dir, 'bomb.json.gz')
    writeFileSync(file, gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x61), { level: 9 }))
    const read = async () => {
      let bytes = 0
      for await (const chunk of readInputBytes(file, statSync(file).size, {
        chunkBytes: 4096,
        minBombBytes: 1024 * 1024,
        maxGzipRatio: 2
      })) {
        bytes += chunk.length
      }
      return bytes
    }
    await expect(read()).rejects.toThrow(/gzip bomb/)
  }, 10_000)

  it('fails with the JSON error when an export goes wrong near its start', async () => {
    const db = openDatabase(join(temp.dir, 'cache.sqlite'))
    try {
      const events = Array.from(
        { length: 40_000 },
        (_, i) =>
          `{"type":3,"timestamp":${i},"data":{"source":5,"text":"${createHash('sha256').update(String(i)).digest('hex')}"}}`
      )
      const file = join(temp.dir, 'export.json.gz')
      writeFileSync(
        file,
        gzipSync(
          `{"version":"2023-04-28","data":{"id":"x","snapshots":[{"type":4,,},${events.join(',')}]}}`,
          { level: 1 }
        )
      )
      expect(statSync(file).size).toBeGreaterThan(1024 * 1024)

      const summary = await importPaths(db, [file], { workers: 0 })

      expect(summary.outcomes[0]).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/^invalid JSON in data\.snapshots\.0/)
      })
    } finally {
      db.close()
    }
  }, 10_000)
})

describe('values too large to hold', () => {
  let temp: ReturnType<typeof createTempDir>
  beforeEach(() => {
    temp = createTempDir('tapedeck-hostile-large-')
  })
  afterEach(() => temp.cleanup())

  it('a small .gz that inflates into one huge JSON value is refused as a bomb before it is held in memory', async () => {
    const db = openDatabase(join(temp.dir, 'cache.sqlite'))
    try {
      const file = join(temp.dir, '0190aaaa-0000-7000-8000-000000000009.json.gz')
      const head = gzipSync(
        '{"version":"2023-04-28","data":{"snapshots":[{"type":4,"timestamp":1,"data":{"href":"'
      )
      const fill = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61), { level: 9 })
      writeFileSync(file, Buffer.concat([head, fill, fill, fill, gzipSync('"}}]}}')]))
      expect(statSync(file).size).toBeLessThan(400 * 1024)

      const summary = await importPaths(db, [file], { workers: 0 })

      expect(summary.outcomes[0]).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/^gzip data expands past 128 MB/)
      })
    } finally {
      db.close()
    }
  }, 20_000)

  it('names SQLite\'s "too big" and V8\'s "string too long" errors instead of calling them internal errors', () => {
    const db = openDatabase(':memory:')
    let sqliteError: unknown
    try {
      db.prepare('SELECT zeroblob(2000000000)').get()
    } catch (error) {
      sqliteError = error
    } finally {
      db.close()
    }
    let stringError: unknown
    try {
      'x'.repeat(2 ** 30)
    } catch (error) {
      stringError = error
    }
    expect(tooLargeReason(sqliteError)).toMatch(
      /^a value in the file is too large to store in the cache/
    )
    expect(tooLargeReason(stringError)).toMatch(
      /^a value in the file is too large to handle \(Invalid string length\)/
    )
    expect(tooLargeReason(new Error('disk I/O error'))).toBeNull()
  })
})

describe('text that is not UTF-8', () => {
  let temp: ReturnType<typeof createTempDir>
  let db: WritableDb
  beforeEach(() => {
    temp = createTempDir('tapedeck-hostile-utf8-')
    db = openDatabase(join(temp.dir, 'cache.sqlite'))
  })
  afterEach(() => {
    db.close()
    temp.cleanup()
  })

  it('is refused with a reason (it used to be imported with its accents turned into U+FFFD)', async () => {
    const csv = join(temp.dir, 'persons.csv')
    writeFileSync(
      csv,
      Buffer.from(
        'id,distinct_ids,email,name\n1,a,cl\u00e9a@example.test,Cl\u00e9a M\u00fcller\n',
        'latin1'
      )
    )
    const jsonl = join(temp.dir, 'events.jsonl')
    const event = {
      uuid: '0190aaaa-0000-7000-8000-00000000000e',
      event: 'caf\u00e9',
      distinct_id: 'x',
      timestamp: '2026-10-01T00:00:00Z'
    }
    writeFileSync(
      jsonl,
      Buffer.from(`${JSON.stringify(event)}\n${JSON.stringify(event)}\n`, 'latin1')
    )

    const summary = await importPaths(db, [csv, jsonl], { workers: 0 })

    for (const outcome of summary.outcomes) {
      expect(outcome).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/^not UTF-8 text .*save it as UTF-8/)
      })
    }
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0)
  })

  it('is accepted when a character is split between two reads (multi-byte text across chunk boundaries)', async () => {
    const note = '\u00e9\u20ac\ud83d\ude00'.repeat(200_000)
    const event = {
      uuid: '0190aaaa-0000-7000-8000-00000000000f',
      event: 'note',
      distinct_id: 'x',
      timestamp: '2026-10-01T00:00:00Z',
      properties: { note }
    }
    const file = join(temp.dir, 'events.jsonl')
    writeFileSync(file, `${JSON.stringify(event)}\n`)

    const summary = await importPaths(db, [file], { workers: 0 })

    expect(summary.outcomes[0]).toMatchObject({ status: 'imported', events: 1 })
    expect(db.prepare(`SELECT properties ->> '$.note' FROM events`).pluck().get()).toBe(note)

    // Every split of a 2-, 3- and 4-byte character between two pushes.
    const bytes = Buffer.from('a\u00e9b\u20acc\ud83d\ude00d')
    for (let cut = 0; cut <= bytes.length; cut++) {
      const check = new Utf8Check()
      check.push(bytes.subarray(0, cut))
      check.push(bytes.subarray(cut))
      check.end()
    }
    const cutOff = new Utf8Check()
    cutOff.push(bytes.subarray(0, bytes.length - 3))
    expect(() => cutOff.end()).toThrow(/not UTF-8 text/)
  })
})
