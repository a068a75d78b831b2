import { describe, expect, it } from 'vitest'
import { ImportError } from './import-error'
import { JsonStreamScanner, formatPath, type PathSegment, type ScanDecision } from './json-scanner'

type Captured = { path: string; value: unknown }

/** Scans `text` fed in pieces of `pieceBytes`, descending where `descend` says, capturing everything else. */
function scan(text: string | Buffer, pieceBytes: number, descend: (path: readonly PathSegment[]) => boolean) {
  const captured: Captured[] = []
  const ended: string[] = []
  const scanner = new JsonStreamScanner({
    onValueStart: (path, kind): ScanDecision => (kind !== 'scalar' && descend(path) ? 'descend' : 'capture'),
    onCapture: (path, raw) => captured.push({ path: formatPath(path), value: JSON.parse(raw.toString('utf8')) }),
    onContainerEnd: (path) => ended.push(formatPath(path))
  })
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  for (let i = 0; i < bytes.length; i += pieceBytes) scanner.push(bytes.subarray(i, i + pieceBytes))
  scanner.end()
  return { captured, ended, values: scanner.topLevelValueCount }
}

const EXPORT = JSON.stringify(
  {
    version: '2023-04-28',
    data: {
      id: 'abc',
      person: { name: 'Zoë "Z" \\ Ünïcode', distinct_ids: ['a', 'b'] },
      snapshots: [
        { type: 4, timestamp: 1, data: { href: 'https://x/?q="}]', width: 1, height: 2 } },
        { type: 2, timestamp: 2, data: { node: { id: 1, childNodes: [{ text: 'a\\"b{[' }] } } },
        { type: 3, timestamp: 3, data: { source: 1, positions: [] } },
        7,
        'a string item',
        null
      ]
    }
  },
  null,
  2
)

const descendExport = (path: readonly PathSegment[]) =>
  path.length === 0 || formatPath(path) === 'data' || formatPath(path) === 'data.snapshots'

describe('JsonStreamScanner', () => {
  it('captures the same values whatever the buffer boundaries', () => {
    const whole = scan(EXPORT, EXPORT.length, descendExport)
    expect(whole.captured.map((c) => c.path)).toEqual([
      'version',
      'data.id',
      'data.person',
      'data.snapshots[0]',
      'data.snapshots[1]',
      'data.snapshots[2]',
      'data.snapshots[3]',
      'data.snapshots[4]',
      'data.snapshots[5]'
    ])
    expect(whole.captured[2].value).toEqual({ name: 'Zoë "Z" \\ Ünïcode', distinct_ids: ['a', 'b'] })
    for (const piece of [1, 2, 3, 5, 7, 13, 64]) {
      expect(scan(EXPORT, piece, descendExport).captured).toEqual(whole.captured)
    }
  })

  it('reads a sequence of top-level values (JSON Lines)', () => {
    const lines = '{"a":1}\n{"b":[1,2]}\r\n\n[3]\n"s"\n12\n'
    const result = scan(lines, 3, () => false)
    expect(result.captured.map((c) => c.value)).toEqual([{ a: 1 }, { b: [1, 2] }, [3], 's', 12])
    expect(result.values).toBe(5)
  })

  it('skips a UTF-8 byte order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')])
    expect(scan(withBom, 1, () => false).captured).toEqual([{ path: '', value: { a: 'é' } }])
  })

  it('reports container ends for the levels it descended into', () => {
    const { ended } = scan(EXPORT, 100, descendExport)
    expect(ended).toEqual(['data.snapshots', 'data', ''])
  })

  it.each([
    ['truncated inside an item', EXPORT.slice(0, EXPORT.indexOf('"positions"')), 'truncated'],
    ['truncated inside a key', '{"versi', 'truncated'],
    ['truncated after a comma', '{"a":1,', 'truncated'],
    ['garbage after a value', '{"a":1} x', 'bad-json'],
    ['a missing colon', '{"a" 1}', 'bad-json'],
    ['a bare word', 'hello', 'bad-json'],
    ['nothing but white space', '   \n ', 'empty']
  ])('fails with a reason for %s', (_name, text, code) => {
    let error: unknown
    try {
      scan(text, 4, descendExport)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ImportError)
    expect((error as ImportError).code).toBe(code)
    expect((error as ImportError).message).toMatch(/byte|no JSON/)
  })

  it('refuses a value larger than the limit', () => {
    const big = `{"data":{"snapshots":[${JSON.stringify({ s: 'x'.repeat(5000) })}]}}`
    const scanner = new JsonStreamScanner(
      { onValueStart: (p, kind) => (kind !== 'scalar' && p.length < 2 ? 'descend' : 'capture'), onCapture: () => {} },
      { maxValueBytes: 1000 }
    )
    expect(() => scanner.push(Buffer.from(big))).toThrow(/larger than/)
  })

  it('refuses to descend deeper than the limit', () => {
    const scanner = new JsonStreamScanner({ onValueStart: () => 'descend', onCapture: () => {} }, { maxDepth: 10 })
    expect(() => scanner.push(Buffer.from('['.repeat(50)))).toThrow(/deeper than 10/)
  })

  it('captures a deeply nested value without recursion', () => {
    const deep = '['.repeat(20000) + ']'.repeat(20000)
    const result = scan(`{"a":${deep}}`, 4096, (p) => p.length === 0)
    expect(result.captured).toHaveLength(1)
  })
})
