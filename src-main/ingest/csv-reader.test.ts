import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixturePath } from '../test/test-db'
import { createCsvReader } from './csv-reader'
import { ImportError } from './import-error'

/** Parses text fed in pieces of `size` characters (every split point, for size 1). */
function parse(text: string, size = text.length): string[][] {
  const reader = createCsvReader()
  const records: string[][] = []
  for (let i = 0; i < text.length; i += Math.max(size, 1))
    records.push(...reader.push(text.slice(i, i + size)))
  records.push(...reader.end())
  return records
}

/** A small reference parser (the obvious per-character state machine) to compare against. */
function referenceParse(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let touched = false
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '' && !touched) {
      quoted = true
      touched = true
    } else if (c === ',') {
      record.push(field)
      field = ''
      touched = false
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++
      if (record.length > 0 || field !== '' || touched) {
        record.push(field)
        records.push(record)
      }
      record = []
      field = ''
      touched = false
    } else {
      field += c
      touched = true
    }
  }
  if (record.length > 0 || field !== '' || touched) {
    record.push(field)
    records.push(record)
  }
  return records
}

describe('createCsvReader', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, LF or CRLF', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line 1\nline 2\r\nline 3"\r\n,,\n"",plain,"end"'
    const expected = [
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line 1\nline 2\r\nline 3'],
      ['', '', ''],
      ['', 'plain', 'end']
    ]
    expect(parse(text)).toEqual(expected)
    for (const size of [1, 2, 3, 5, 7]) expect(parse(text, size)).toEqual(expected)
  })

  it('drops a UTF-8 BOM only at the very start and skips blank lines', () => {
    expect(parse('\uFEFFid,name\n\n1,\uFEFFx\n\r\n')).toEqual([
      ['id', 'name'],
      ['1', '\uFEFFx']
    ])
    expect(parse('\uFEFFa\nb', 1)).toEqual([['a'], ['b']])
  })

  it('keeps stray quotes in unquoted fields and text after a closing quote, like spreadsheets do', () => {
    expect(parse('ab"c,"q"x,d\n')).toEqual([['ab"c', 'qx', 'd']])
  })

  it('handles a quote or CR at the very end of a chunk', () => {
    const text = '"a""b",c\r\nd,e'
    for (let cut = 1; cut < text.length; cut++) {
      const reader = createCsvReader()
      const records = [
        ...reader.push(text.slice(0, cut)),
        ...reader.push(text.slice(cut)),
        ...reader.end()
      ]
      expect(records, `split at ${cut}`).toEqual([
        ['a"b', 'c'],
        ['d', 'e']
      ])
    }
  })

  it('returns records as soon as they are complete', () => {
    const reader = createCsvReader()
    expect(reader.push('a,b\nc,')).toEqual([['a', 'b']])
    expect(reader.push('d')).toEqual([])
    expect(reader.push('\n')).toEqual([['c', 'd']])
    expect(reader.end()).toEqual([])
  })

  it('throws a truncated error naming the line of an unterminated quoted field', () => {
    const reader = createCsvReader()
    reader.push('a,b\n1,2\n3,"never\nclosed')
    let error: unknown
    try {
      reader.end()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ImportError)
    expect((error as ImportError).code).toBe('truncated')
    expect((error as Error).message).toBe(
      'truncated CSV: unterminated quoted field starting on line 3'
    )
  })

  it('counts line breaks inside earlier quoted fields when naming the line', () => {
    const reader = createCsvReader()
    reader.push('"multi\nline\nheader",x\r\nok,"open')
    expect(() => reader.end()).toThrow('starting on line 4')
  })

  it('refuses a record longer than the limit instead of buffering the whole file', () => {
    const reader = createCsvReader({ maxRecordChars: 100 })
    expect(reader.push('a,b\n"' + 'x'.repeat(60))).toEqual([['a', 'b']])
    expect(() => reader.push('y'.repeat(60))).toThrow(/longer than 100 characters/)
    const many = createCsvReader({ maxRecordChars: 100 })
    expect(many.push('a,b\n'.repeat(1000))).toHaveLength(1000)
  })

  it('matches a reference parser on the acme-small events CSV, whole and in odd-sized chunks', () => {
    const text = readFileSync(fixturePath('acme-small', 'events.csv'), 'utf8')
    const expected = referenceParse(text)
    const whole = parse(text)
    expect(whole).toEqual(expected)
    expect(parse(text, 4093)).toEqual(expected)
    // Header plus one record per event (MANIFEST counts.events); every row as wide as the header.
    const manifest = JSON.parse(
      readFileSync(fixturePath('acme-small', 'MANIFEST.json'), 'utf8')
    ) as {
      counts: { events: number }
    }
    expect(whole).toHaveLength(manifest.counts.events + 1)
    for (const record of whole) expect(record).toHaveLength(whole[0].length)
  })

  it('parses the 1.9 MB events CSV in well under 100 ms', () => {
    const text = readFileSync(fixturePath('acme-small', 'events.csv'), 'utf8')
    expect(text.length).toBeGreaterThan(1_900_000)
    let best = Infinity
    for (let run = 0; run < 3; run++) {
      const started = performance.now()
      const reader = createCsvReader()
      const count = reader.push(text).length + reader.end().length
      best = Math.min(best, performance.now() - started)
      expect(count).toBe(1075)
    }
    expect(best).toBeLessThan(100)
  })
})
