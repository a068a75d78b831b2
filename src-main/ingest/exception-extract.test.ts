import { readFileSync } from 'node:fs'
import type { StackFrame } from '@shared/domain'
import { describe, expect, it } from 'vitest'
import { fixturePath } from '../test/test-db'
import { createCsvReader } from './csv-reader'
import { csvRecordToEvent, normalizeEvent } from './event-normalize'
import { extractEventExceptions, normalizeFrames } from './exception-extract'
import type { EventRow, ExceptionRow } from './rows'

type SessionWithExceptions = {
  session_id: string
  exceptions: number
  types: string[]
  values: string[]
  first_at: string
}
type Manifest = {
  counts: { events_by_name: Record<string, number> }
  ground_truth: {
    sessions_with_exceptions: SessionWithExceptions[]
    exception_issues: Array<{
      issue_id: string
      fingerprint: string
      type: string
      occurrences: number
    }>
  }
}

const manifest = JSON.parse(
  readFileSync(fixturePath('acme-small', 'MANIFEST.json'), 'utf8')
) as Manifest

function extract(row: EventRow): ExceptionRow[] {
  return extractEventExceptions(row, JSON.parse(row.properties) as Record<string, unknown>)
}

function jsonlExceptions(): ExceptionRow[] {
  return readFileSync(fixturePath('acme-small', 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => extract(normalizeEvent(JSON.parse(line))))
}

function csvExceptions(): ExceptionRow[] {
  const reader = createCsvReader()
  const [header, ...records] = [
    ...reader.push(readFileSync(fixturePath('acme-small', 'events.csv'), 'utf8')),
    ...reader.end()
  ]
  return records.flatMap((cells) => extract(csvRecordToEvent(header, cells)))
}

/** An `$exception` event row with the given properties. */
function exceptionRow(
  properties: Record<string, unknown>,
  sessionId: string | null = 's1'
): EventRow {
  return normalizeEvent({
    uuid: 'ev-1',
    event: '$exception',
    distinct_id: 'd',
    timestamp: '2024-05-01T10:00:00Z',
    properties: { ...properties, $session_id: sessionId, $window_id: 'w1' }
  })
}

describe('extractEventExceptions on acme-small', () => {
  const rows = jsonlExceptions()

  it("gives one exception per $exception event, matching MANIFEST's sessions_with_exceptions", () => {
    expect(rows).toHaveLength(manifest.counts.events_by_name.$exception)
    const bySession = new Map<string, ExceptionRow[]>()
    for (const row of rows)
      bySession.set(row.sessionId, [...(bySession.get(row.sessionId) ?? []), row])
    const expected = manifest.ground_truth.sessions_with_exceptions
    expect([...bySession.keys()].sort()).toEqual(expected.map((s) => s.session_id).sort())
    for (const session of expected) {
      const found = bySession.get(session.session_id)!
      expect(found).toHaveLength(session.exceptions)
      expect([...new Set(found.map((row) => row.type))].sort()).toEqual([...session.types].sort())
      expect([...new Set(found.map((row) => row.message))].sort()).toEqual(
        [...session.values].sort()
      )
      expect(Math.min(...found.map((row) => row.timestampMs))).toBe(Date.parse(session.first_at))
    }
  })

  it('keeps level, handled, fingerprint, issue id and the stack frames', () => {
    for (const row of rows) {
      expect(row.source).toBe('event')
      expect(row.level).toBe('error')
      expect(row.handled).toBe(false)
      expect(row.eventUuid).not.toBeNull()
      expect(row.stackText).toBeNull()
      const frames = JSON.parse(row.frames) as StackFrame[]
      expect(frames.length).toBeGreaterThan(0)
      for (const frame of frames) {
        expect(Object.keys(frame).sort()).toEqual([
          'colno',
          'filename',
          'function',
          'inApp',
          'lineno'
        ])
        expect(typeof frame.lineno).toBe('number')
        expect(frame.filename).toMatch(/^(https:\/\/|<anonymous>)/)
      }
    }
    const issues = manifest.ground_truth.exception_issues
    for (const issue of issues) {
      const matching = rows.filter((row) => row.issueId === issue.issue_id)
      expect(matching, issue.issue_id).toHaveLength(issue.occurrences)
      for (const row of matching) {
        expect(row.fingerprint).toBe(issue.fingerprint)
        expect(row.type).toBe(issue.type)
      }
    }
  })

  it('gives the same exceptions from the CSV export as from the JSON Lines export', () => {
    const byUuid = (list: ExceptionRow[]) =>
      [...list].sort((a, b) => (a.eventUuid ?? '').localeCompare(b.eventUuid ?? ''))
    expect(byUuid(csvExceptions())).toEqual(byUuid(rows))
  })
})

describe('extractEventExceptions on other shapes', () => {
  it('reads the ClickHouse-row sample ($exception_list inside JSON-text properties)', () => {
    const raw = JSON.parse(
      readFileSync(
        fixturePath(
          'samples',
          'PostHog__posthog__rust__cymbal__tests__static__raw_ch_exception_list.json'
        ),
        'utf8'
      )
    ) as unknown
    const [row, ...rest] = extract(normalizeEvent(raw))
    expect(rest).toEqual([])
    expect(row).toMatchObject({
      sessionId: '019295b0-db2b-7e02-8010-0a1c4db680df',
      windowId: '019295b0-db2b-7e02-8010-0a1dee88e5f5',
      timestampMs: Date.UTC(2024, 9, 16, 14, 17, 59, 88),
      type: 'UnhandledRejection',
      message: 'Unexpected usage',
      level: 'error',
      handled: false,
      stackText: null,
      eventUuid: '019295b1-519f-71a6-aacf-c97b5db73696',
      fingerprint: null,
      issueId: null
    })
    expect(JSON.parse(row.frames)).toEqual([
      {
        function: '?',
        filename: 'https://app-static.eu.posthog.com/static/chunk-PGUQKT6S.js',
        lineno: 64,
        colno: 25112,
        inApp: true
      },
      {
        function: 'n.loadForeignModule',
        filename: 'https://app-static.eu.posthog.com/static/chunk-PGUQKT6S.js',
        lineno: 64,
        colno: 15003,
        inApp: true
      }
    ])
  })

  it('uses the outermost (first) entry of a chained $exception_list', () => {
    const [row] = extract(
      exceptionRow({
        $exception_list: [
          { type: 'Outer', value: 'wrapped', mechanism: { handled: true } },
          { type: 'Cause', value: 'root', stacktrace: { frames: [{ function: 'f' }] } }
        ],
        $exception_handled: false
      })
    )
    expect(row).toMatchObject({ type: 'Outer', message: 'wrapped', handled: true, frames: '[]' })
  })

  it('reads the legacy trio with frames as JSON text', () => {
    const frames = [{ filename: 'app.js', function: 'onClick', in_app: true, lineno: 14, colno: 3 }]
    const [row] = extract(
      exceptionRow({
        $exception_type: 'TypeError',
        $exception_message: 'x is undefined',
        $exception_stack_trace_raw: JSON.stringify(frames),
        $exception_level: 'warning',
        $exception_handled: true
      })
    )
    expect(row).toMatchObject({
      type: 'TypeError',
      message: 'x is undefined',
      level: 'warning',
      handled: true,
      stackText: null
    })
    expect(JSON.parse(row.frames)).toEqual([
      { function: 'onClick', filename: 'app.js', lineno: 14, colno: 3, inApp: true }
    ])
  })

  it('keeps a plain stack string (or unparseable JSON) as stack text', () => {
    const stack = 'Error: boom\n    at main (app.js:1:2)'
    expect(extract(exceptionRow({ $exception_stack_trace_raw: stack }))[0]).toMatchObject({
      frames: '[]',
      stackText: stack
    })
    expect(extract(exceptionRow({ $exception_stack_trace_raw: '[not json' }))[0].stackText).toBe(
      '[not json'
    )
  })

  it("falls back to the server's $exception_types / $exception_values", () => {
    const [row] = extract(exceptionRow({ $exception_types: ['E'], $exception_values: ['m'] }))
    expect(row).toMatchObject({ type: 'E', message: 'm' })
  })

  it('gives an exception with empty fields for a bare $exception event', () => {
    const [row] = extract(exceptionRow({}))
    expect(row).toMatchObject({
      type: null,
      message: null,
      level: null,
      handled: null,
      frames: '[]',
      stackText: null,
      eventUuid: 'ev-1',
      sessionId: 's1',
      windowId: 'w1'
    })
  })

  it('gives nothing for other events and for an $exception outside any session', () => {
    expect(extract(exceptionRow({ $exception_type: 'E' }, null))).toEqual([])
    const pageview = normalizeEvent({
      uuid: 'p',
      event: '$pageview',
      distinct_id: 'd',
      timestamp: 1,
      properties: { $session_id: 's', $exception_list: [{ type: 'E' }] }
    })
    expect(extract(pageview)).toEqual([])
  })

  it('never throws on odd values', () => {
    const odd: unknown[] = [null, 5, 'x', true, {}, [], [null, 'x', 5], { frames: 'abc' }]
    for (const value of odd) {
      for (const key of [
        '$exception_list',
        '$exception_stack_trace_raw',
        '$exception_type',
        '$exception_level',
        '$exception_types'
      ]) {
        expect(() => extract(exceptionRow({ [key]: value }))).not.toThrow()
      }
      expect(() =>
        extract(
          exceptionRow({ $exception_list: [{ type: value, stacktrace: value, mechanism: value }] })
        )
      ).not.toThrow()
    }
    const [row] = extract(exceptionRow({ $exception_list: [null, { type: 'Second' }] }))
    expect(row.type).toBe('Second')
  })
})

describe('normalizeFrames', () => {
  it('normalises SDK frame spellings and drops what is not a frame', () => {
    expect(
      normalizeFrames([
        { function: 'a', filename: 'f.js', lineno: '12', colno: 1.5, in_app: 'True' },
        { func: 'b', abs_path: '/abs.js', line: 3, column: 4, inApp: false },
        'junk',
        null
      ])
    ).toEqual([
      { function: 'a', filename: 'f.js', lineno: 12, colno: null, inApp: true },
      { function: 'b', filename: '/abs.js', lineno: 3, colno: 4, inApp: false }
    ])
    expect(normalizeFrames('nope')).toEqual([])
    expect(normalizeFrames(new Array(2000).fill({ function: 'r' }))).toHaveLength(500)
  })
})
