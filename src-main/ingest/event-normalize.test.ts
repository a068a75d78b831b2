import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createEventColumnsWriter, type EventColumnValues } from '../db/event-columns'
import { EVENT_COLUMNS } from '../db/migrations/0007-event-columns'
import { createTestDb, fixturePath } from '../test/test-db'
import { readPythonCell } from './csv-columns'
import { createCsvReader } from './csv-reader'
import {
  InvalidRecordError,
  csvHeaderKind,
  csvRecordToEvent,
  deriveEventUuid,
  elementsToChain,
  normalizeEvent
} from './event-normalize'
import { EVENT_FIDELITY, type EventRow } from './rows'

type RawEvent = {
  uuid: string
  event: string
  distinct_id: string
  person_id: string
  timestamp: string
  properties: Record<string, unknown>
  elements_chain: string
}
type Manifest = {
  counts: { events: number; events_by_name: Record<string, number>; sessions_with_events: number }
  generator: { date_range: [string, string] }
}

const manifest = JSON.parse(
  readFileSync(fixturePath('acme-small', 'MANIFEST.json'), 'utf8')
) as Manifest
const rawEvents = readFileSync(fixturePath('acme-small', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as RawEvent)

function readCsv(file: string): string[][] {
  const reader = createCsvReader()
  return [...reader.push(readFileSync(file, 'utf8')), ...reader.end()]
}

function sample(name: string): unknown {
  return JSON.parse(readFileSync(fixturePath('samples', name), 'utf8'))
}

/** The reason an `InvalidRecordError` gives; any other error fails the test (a crash, not a refusal). */
function refusal(run: () => unknown): string | null {
  try {
    run()
    return null
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(InvalidRecordError)
    expect((error as Error).name).toBe('InvalidRecordError')
    return (error as Error).message
  }
}

/** Every leaf of a JSON value as `path → value` (empty objects and arrays are leaves too). */
function leaves(
  value: unknown,
  prefix = '',
  out = new Map<string, unknown>()
): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0) out.set(prefix, value)
    for (const [key, child] of entries) leaves(child, prefix === '' ? key : `${prefix}.${key}`, out)
  } else {
    out.set(prefix, value)
  }
  return out
}

describe('normalizeEvent on acme-small events.jsonl (batch-export JSON Lines)', () => {
  const rows = rawEvents.map((raw) => normalizeEvent(raw))

  it('normalises every event, with the counts MANIFEST.json records', () => {
    expect(rows).toHaveLength(manifest.counts.events)
    const byName: Record<string, number> = {}
    for (const row of rows) byName[row.event] = (byName[row.event] ?? 0) + 1
    expect(byName).toEqual(manifest.counts.events_by_name)
    expect(new Set(rows.map((row) => row.uuid)).size).toBe(rows.length)
    expect(new Set(rows.map((row) => row.sessionId)).size).toBe(
      manifest.counts.sessions_with_events
    )
    const times = rows.map((row) => row.timestampMs)
    expect(Math.min(...times)).toBe(Date.parse(manifest.generator.date_range[0]))
    expect(Math.max(...times)).toBe(Date.parse(manifest.generator.date_range[1]))
  })

  it('takes each field from where the export keeps it', () => {
    rows.forEach((row, index) => {
      const raw = rawEvents[index]
      expect(row).toEqual({
        uuid: raw.uuid,
        event: raw.event,
        distinctId: raw.distinct_id,
        personId: raw.person_id,
        sessionId: raw.properties.$session_id as string,
        windowId: raw.properties.$window_id as string,
        timestampMs: Date.parse(raw.timestamp),
        url: (raw.properties.$current_url as string | undefined) ?? null,
        properties: JSON.stringify(raw.properties),
        elementsChain: raw.elements_chain === '' ? null : raw.elements_chain,
        fidelity: EVENT_FIDELITY.json,
        columns: row.columns
      } satisfies EventRow)
    })
    expect(rows.some((row) => row.elementsChain !== null)).toBe(true)
  })
})

describe('normalizeEvent on other JSON shapes', () => {
  it('reads a ClickHouse row: properties as JSON text, a timestamp with a -07:00 offset', () => {
    const raw = sample(
      'PostHog__posthog__rust__cymbal__tests__static__raw_ch_exception_list.json'
    ) as Record<string, string>
    const row = normalizeEvent(raw)
    expect(row.uuid).toBe('019295b1-519f-71a6-aacf-c97b5db73696')
    expect(row.event).toBe('$exception')
    expect(row.distinctId).toBe(raw.distinct_id)
    expect(row.timestampMs).toBe(Date.UTC(2024, 9, 16, 14, 17, 59, 88))
    expect(row.sessionId).toBe('019295b0-db2b-7e02-8010-0a1c4db680df')
    expect(row.windowId).toBe('019295b0-db2b-7e02-8010-0a1dee88e5f5')
    expect(row.url).toBe('https://eu.posthog.com/project/12557/feature_flags/31624')
    expect(row.personId).toBeNull()
    expect(row.elementsChain).toBeNull()
    expect(JSON.parse(row.properties)).toEqual(JSON.parse(raw.properties))
  })

  it('reads an /events API page: id for uuid, a person object, elements', () => {
    const page = sample(
      'kitadmin01__analytickit__cypress__fixtures__api__event__single_person_events.json'
    ) as {
      results: Array<Record<string, unknown> & { id: string; properties: Record<string, unknown> }>
    }
    const rows = page.results.map((raw) => normalizeEvent(raw))
    expect(rows).toHaveLength(7)
    rows.forEach((row, index) => {
      const raw = page.results[index]
      expect(row.uuid).toBe(raw.id)
      expect(row.distinctId).toBe(raw.distinct_id)
      expect(row.timestampMs).toBe(Date.parse(String(raw.timestamp).slice(0, 23) + 'Z'))
      expect(row.url).toBe(raw.properties.$current_url ?? null)
      expect(row.sessionId).toBeNull()
    })
    expect(rows.map((row) => row.event)).toContain('purchase')
  })

  it('takes the person id from person_id, else person.uuid or person.id', () => {
    const base = { uuid: 'u1', event: 'e', distinct_id: 'd', timestamp: '2024-01-01T00:00:00Z' }
    expect(normalizeEvent({ ...base, person: { uuid: 'P-UUID', id: 7 } }).personId).toBe('P-UUID')
    expect(normalizeEvent({ ...base, person: { id: 7 } }).personId).toBe('7')
    expect(normalizeEvent({ ...base, person_id: 'pid', person: { uuid: 'x' } }).personId).toBe(
      'pid'
    )
    expect(normalizeEvent({ ...base, person: null }).personId).toBeNull()
  })

  it('builds elements_chain from an elements array when the chain is empty', () => {
    const elements = [
      { tag_name: 'li', attr_class: null, nth_child: 2, nth_of_type: 2, attributes: {}, order: 1 },
      {
        tag_name: 'a',
        text: 'Say "hi"',
        href: '/home',
        attr_class: ['nav', 'btn'],
        nth_child: 1,
        nth_of_type: 1,
        attributes: { attr__href: '/home' },
        order: 0
      }
    ]
    const expected =
      'a.btn.nav:attr__href="/home"href="/home"nth-child="1"nth-of-type="1"text="Say \\"hi\\"";li:nth-child="2"nth-of-type="2"'
    expect(elementsToChain(elements)).toBe(expected)
    const row = normalizeEvent({
      id: 'e1',
      event: '$autocapture',
      distinct_id: 'd',
      timestamp: '2024-01-01T00:00:00Z',
      elements,
      elements_chain: ''
    })
    expect(row.elementsChain).toBe(expected)
    expect(elementsToChain([])).toBeNull()
    expect(elementsToChain('nope')).toBeNull()
  })

  it('reads HogQL-style objects with top-level $session_id and properties.* keys', () => {
    const row = normalizeEvent({
      uuid: '0187B2FD-0000-4000-8000-000000000001',
      event: '$pageview',
      timestamp: '2023-04-24T11:19:59.222Z',
      distinct_id: 123,
      $session_id: 's1',
      'properties.$current_url': 'http://localhost/a',
      'properties.$window_id': 'w1'
    })
    expect(row).toMatchObject({
      uuid: '0187b2fd-0000-4000-8000-000000000001',
      distinctId: '123',
      sessionId: 's1',
      windowId: 'w1',
      url: 'http://localhost/a'
    })
    expect(JSON.parse(row.properties)).toEqual({
      $current_url: 'http://localhost/a',
      $window_id: 'w1'
    })
    const tricky = normalizeEvent(
      JSON.parse(
        '{"event":"e","distinct_id":"d","timestamp":1,"properties.__proto__":{"x":1},"properties.toString":"t"}'
      )
    )
    expect(tricky.properties).toBe('{"__proto__":{"x":1},"toString":"t"}')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('adds properties.* keys to a copy, never to the record it reads', () => {
    const raw = {
      event: 'e',
      distinct_id: 'd',
      timestamp: 1,
      properties: { $os: 'iOS' },
      'properties.$current_url': 'https://x.test/',
      'properties.$os': 'ignored: the properties object has it'
    }
    const before = JSON.stringify(raw)
    const row = normalizeEvent(raw)
    expect(JSON.parse(row.properties)).toEqual({ $os: 'iOS', $current_url: 'https://x.test/' })
    expect(row.columns.values).toEqual(['https://x.test/', null, null, null, null, 'iOS', null, null])
    expect(JSON.stringify(raw)).toBe(before)
  })

  it('uses $screen_name when there is no $current_url, and epoch timestamps', () => {
    const ms = Date.UTC(2024, 5, 1, 12)
    const base = { uuid: 'u', event: '$screen', distinct_id: 'd' }
    const row = normalizeEvent({ ...base, timestamp: ms, properties: { $screen_name: 'Home' } })
    expect(row.url).toBe('Home')
    expect(row.timestampMs).toBe(ms)
    expect(normalizeEvent({ ...base, timestamp: ms / 1000 }).timestampMs).toBe(ms)
    expect(normalizeEvent({ ...base, $timestamp: 1 }).timestampMs).toBe(1000)
  })

  it('derives a stable uuid for events without one', () => {
    const event = {
      event: 'clicked',
      distinct_id: 'd',
      timestamp: '2024-01-01T00:00:00.000Z',
      properties: { a: 1, b: { c: 2, d: 3 } }
    }
    const reordered = {
      properties: { b: { d: 3, c: 2 }, a: 1 },
      timestamp: '2024-01-01 00:00:00+00:00',
      distinct_id: 'd',
      event: 'clicked'
    }
    const first = normalizeEvent(event)
    expect(first.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    )
    expect(normalizeEvent(event).uuid).toBe(first.uuid)
    expect(normalizeEvent(reordered).uuid).toBe(first.uuid)
    expect(normalizeEvent({ ...event, timestamp: '2024-01-01T00:00:00.001Z' }).uuid).not.toBe(
      first.uuid
    )
    expect(normalizeEvent({ ...event, properties: { a: 2 } }).uuid).not.toBe(first.uuid)
    expect(deriveEventUuid('clicked', 'd', first.timestampMs, event.properties)).toBe(first.uuid)
  })

  it('refuses records that cannot be events, with the reason', () => {
    const good = { uuid: 'u', event: 'e', distinct_id: 'd', timestamp: '2024-01-01T00:00:00Z' }
    expect(refusal(() => normalizeEvent(good))).toBeNull()
    const cases: Array<[unknown, string | RegExp]> = [
      [null, 'an event must be an object, not null'],
      [[good], 'an event must be an object, not an array'],
      ['{"event":"e"}', 'an event must be an object, not a string'],
      [{ ...good, event: undefined }, 'missing event name'],
      [{ ...good, event: '' }, 'missing event name'],
      [{ ...good, event: 5 }, 'event name is a number, not a string'],
      [{ ...good, event: { name: 'e' } }, 'event name is an object, not a string'],
      [{ ...good, event: 'x'.repeat(10_000_000) }, 'event name is too long (10000000 characters)'],
      [{ ...good, distinct_id: undefined }, 'missing distinct_id'],
      [{ ...good, distinct_id: ['d'] }, 'distinct_id is an array, not a string'],
      [{ ...good, distinct_id: 'd'.repeat(5000) }, 'distinct_id is too long (5000 characters)'],
      [{ ...good, uuid: true }, 'uuid is a boolean, not a string'],
      [{ ...good, timestamp: undefined }, 'missing timestamp'],
      [{ ...good, timestamp: 'not a date' }, 'unparseable timestamp "not a date"'],
      [
        { ...good, timestamp: '2024-02-30T00:00:00Z' },
        'unparseable timestamp "2024-02-30T00:00:00Z"'
      ],
      [{ ...good, timestamp: '9'.repeat(100_000) }, /^unparseable timestamp "9{60}…"$/],
      [{ ...good, timestamp: -5 }, 'unparseable timestamp "-5"'],
      [{ ...good, timestamp: { $date: 1 } }, 'timestamp is an object, not a string or number'],
      [{ ...good, properties: 'oops' }, /^properties is not valid JSON/],
      [{ ...good, properties: '[1,2]' }, 'properties is JSON an array, not an object'],
      [{ ...good, properties: 42 }, 'properties is a number, not an object'],
      [
        { ...good, properties: { $session_id: { id: 1 } } },
        '$session_id is an object, not a string'
      ],
      [{ ...good, person_id: [] }, 'person_id is an array, not a string']
    ]
    for (const [input, reason] of cases) {
      const message = refusal(() => normalizeEvent(input))
      if (typeof reason === 'string') expect(message).toBe(reason)
      else expect(message).toMatch(reason)
    }
  })

  it('never crashes on a real event with any field replaced by an odd value', () => {
    const odd: unknown[] = [
      null,
      undefined,
      0,
      -1,
      NaN,
      true,
      '',
      'x'.repeat(100_000),
      {},
      [],
      [null],
      { a: { b: [] } }
    ]
    const real = rawEvents.find((raw) => raw.event === '$exception')! as unknown as Record<
      string,
      unknown
    >
    let refused = 0
    let accepted = 0
    for (const key of [
      ...Object.keys(real),
      'id',
      'person',
      'elements',
      '$session_id',
      'properties.$current_url'
    ]) {
      for (const value of odd) {
        if (refusal(() => normalizeEvent({ ...real, [key]: value })) === null) accepted++
        else refused++
      }
    }
    for (const key of [
      '$session_id',
      '$window_id',
      '$current_url',
      '$exception_list',
      'distinct_id'
    ]) {
      for (const value of odd) {
        const properties = { ...(real.properties as Record<string, unknown>), [key]: value }
        if (refusal(() => normalizeEvent({ ...real, properties })) === null) accepted++
        else refused++
      }
    }
    expect(refused).toBeGreaterThan(0)
    expect(accepted).toBeGreaterThan(0)
  })

  it('refuses properties nested too deep to write back as JSON rather than overflowing the stack', () => {
    const depth = 200_000
    const properties = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    const base = { event: 'e', distinct_id: 'd', timestamp: 1_700_000_000_000, properties }
    const message = refusal(() => normalizeEvent(base))
    if (message !== null)
      expect(message).toMatch(/^properties (is not valid JSON|cannot be written as JSON)/)
  })
})

describe('csvHeaderKind', () => {
  it('recognises the events export, the persons export and neither', () => {
    const [header] = readCsv(fixturePath('acme-small', 'events.csv'))
    expect(csvHeaderKind(header)).toBe('events')
    expect(
      csvHeaderKind(['uuid', 'event', 'timestamp', 'distinct_id', 'properties.$session_id'])
    ).toBe('events')
    expect(csvHeaderKind(['event', 'person_display_name -- Person', 'timestamp'])).toBe('events')
    expect(
      csvHeaderKind(['id', 'name', 'distinct_ids.0', 'properties.email', 'created_at', 'uuid'])
    ).toBe('persons')
    expect(csvHeaderKind(['*.id', '*.distinct_ids.0', '*.created_at'])).toBe('persons')
    expect(csvHeaderKind(['team_id', 'distinct_id', 'person_id', 'properties', 'is_deleted'])).toBe(
      'persons'
    )
    expect(csvHeaderKind(['uuid', 'created_at', 'properties.email'])).toBe('persons')
    expect(csvHeaderKind(['date', 'amount', 'currency'])).toBeNull()
    expect(csvHeaderKind(['event', 'count()'])).toBeNull()
    expect(csvHeaderKind([])).toBeNull()
  })
})

describe('csvRecordToEvent on acme-small events.csv', () => {
  const [header, ...records] = readCsv(fixturePath('acme-small', 'events.csv'))
  const csvRows = records.map((cells) => csvRecordToEvent(header, cells))
  const jsonRows = new Map(rawEvents.map((raw) => [raw.uuid, normalizeEvent(raw)]))

  it('gives every event of the JSON Lines export, with the same fields', () => {
    expect(csvRows).toHaveLength(jsonRows.size)
    for (const row of csvRows) {
      const json = jsonRows.get(row.uuid)
      expect(json, row.uuid).toBeDefined()
      const pick = (r: EventRow) => ({
        uuid: r.uuid,
        event: r.event,
        distinctId: r.distinctId,
        personId: r.personId,
        sessionId: r.sessionId,
        windowId: r.windowId,
        timestampMs: r.timestampMs,
        url: r.url,
        elementsChain: r.elementsChain
      })
      expect(pick(row)).toEqual(pick(json!))
      expect(row.fidelity).toBe(EVENT_FIDELITY.csv)
    }
  })

  it('rebuilds nested properties and arrays; every difference is a documented Python-rendering loss', () => {
    const losses = { emptyCellDropped: 0, textReadAsNumberOrBoolean: 0 }
    for (const row of csvRows) {
      const csvLeaves = leaves(JSON.parse(row.properties))
      const jsonLeaves = leaves(JSON.parse(jsonRows.get(row.uuid)!.properties))
      for (const [path, value] of csvLeaves) {
        expect(jsonLeaves.has(path), `${row.uuid} ${path}`).toBe(true)
        const original = jsonLeaves.get(path)
        if (Object.is(value, original)) continue
        // The CSV cannot say whether `10` or `True` was text: the exporter wrote text and number alike.
        expect(typeof original, `${row.uuid} ${path}`).toBe('string')
        expect(value, `${row.uuid} ${path}`).toBe(readPythonCell(original as string))
        losses.textReadAsNumberOrBoolean++
      }
      for (const [path, original] of jsonLeaves) {
        if (csvLeaves.has(path)) continue
        // null, '' and empty lists / objects all render as nothing.
        const isEmpty =
          original === null ||
          original === '' ||
          (typeof original === 'object' && original !== null)
        expect(isEmpty, `${row.uuid} ${path} = ${JSON.stringify(original)}`).toBe(true)
        losses.emptyCellDropped++
      }
    }
    // Both losses occur in this data ($os_version "10" → 10; null utm_* properties and [] flags are absent).
    expect(losses.textReadAsNumberOrBoolean).toBeGreaterThan(0)
    expect(losses.emptyCellDropped).toBeGreaterThan(0)
  })

  it('rebuilds $exception_list with its stack frames as arrays of objects', () => {
    const exceptions = csvRows.filter((row) => row.event === '$exception')
    expect(exceptions).toHaveLength(manifest.counts.events_by_name.$exception)
    for (const row of exceptions) {
      const csv = JSON.parse(row.properties) as Record<string, unknown>
      const json = JSON.parse(jsonRows.get(row.uuid)!.properties) as Record<string, unknown>
      expect(csv.$exception_list).toEqual(json.$exception_list)
      expect(csv.$exception_types).toEqual(json.$exception_types)
      expect(csv.$exception_handled).toBe(false)
    }
  })
})

describe('csvRecordToEvent on other CSV layouts', () => {
  it('reads a current-columns export without *. columns, with display columns as fallbacks', () => {
    const header = [
      'uuid',
      'event',
      'person_display_name -- Person.id',
      'coalesce(properties.$current_url, properties.$screen_name) -- Url / Screen',
      'distinct_id',
      'properties.$session_id',
      'properties.flag',
      'properties.count',
      'properties.code',
      'properties.big',
      'properties.none',
      'properties.list.0',
      'properties.list.2',
      'timestamp'
    ]
    const cells = [
      'e-1',
      'signed_up',
      'person-7',
      'https://x.test/a',
      '00042',
      'sess',
      'True',
      '3.5',
      '007',
      '12345678901234567890',
      'None',
      'a',
      'c',
      '2024-01-02 03:04:05.678000+00:00'
    ]
    const row = csvRecordToEvent(header, cells)
    expect(row).toMatchObject({
      uuid: 'e-1',
      event: 'signed_up',
      distinctId: '00042',
      personId: 'person-7',
      sessionId: 'sess',
      url: 'https://x.test/a',
      timestampMs: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
      fidelity: EVENT_FIDELITY.csv
    })
    expect(JSON.parse(row.properties)).toEqual({
      $session_id: 'sess',
      flag: true,
      count: 3.5,
      code: '007',
      big: '12345678901234567890',
      none: null,
      list: ['a', null, 'c']
    })
  })

  it('parses a properties column holding JSON text', () => {
    const row = csvRecordToEvent(
      ['*.uuid', '*.event', '*.distinct_id', '*.timestamp', '*.properties'],
      ['u', 'e', 'd', '2024-01-01T00:00:00Z', '{"$session_id":"s","n":1}']
    )
    expect(row.sessionId).toBe('s')
    expect(JSON.parse(row.properties)).toEqual({ $session_id: 's', n: 1 })
  })

  it('refuses rows that cannot be events, with the reason', () => {
    const header = ['*.uuid', '*.event', '*.distinct_id', '*.timestamp']
    expect(refusal(() => csvRecordToEvent(header, ['u', '', 'd', '2024-01-01']))).toBe(
      'missing event name'
    )
    expect(refusal(() => csvRecordToEvent(header, ['u', 'e', 'd', 'soon']))).toBe(
      'unparseable timestamp "soon"'
    )
    expect(refusal(() => csvRecordToEvent(header, ['u', 'e', 'd']))).toBe('missing timestamp')
    expect(refusal(() => csvRecordToEvent(header, ['u', 'e', 'd', '2024-01-01', 'extra']))).toBe(
      'the row has 5 cells but the header has 4 columns'
    )
    expect(refusal(() => csvRecordToEvent(['*.event', '*.timestamp'], ['e', '2024-01-01']))).toBe(
      'missing distinct_id'
    )
  })
})

/**
 * What migration 0007's SQL (its insert trigger, in a cache at schema 7) extracts from each row's properties text:
 * the reference the worker-side values must equal.
 */
function sqlEventColumns(rows: readonly EventRow[]): EventColumnValues[] {
  const db = createTestDb({ upToVersion: 7 })
  const insert = db.prepare(
    `INSERT INTO events (uuid, event, distinct_id, timestamp_ms, properties) VALUES (?, 'e', 'd', 1, ?)`
  )
  const select = db.prepare<[number | bigint], Record<string, string | number | null>>(
    `SELECT * FROM event_columns WHERE rowid = ?`
  )
  return rows.map((row, index) => {
    const stored = select.get(insert.run(`e${index}`, row.properties).lastInsertRowid)!
    return {
      other: stored.other as 0 | 1,
      values: EVENT_COLUMNS.map((c) => stored[c.column] as string | null)
    }
  })
}

describe('event columns computed at normalisation', () => {
  const eventWith = (properties: Record<string, unknown>) =>
    normalizeEvent({ uuid: 'x', event: 'e', distinct_id: 'd', timestamp: 1, properties })

  it('equal the SQL extraction on every event of the fixtures (JSON Lines, CSV, API sample)', () => {
    const [header, ...records] = readCsv(fixturePath('acme-small', 'events.csv'))
    const api = sample(
      'kitadmin01__analytickit__cypress__fixtures__api__event__single_person_events.json'
    )
    const apiEvents = (api as { results: unknown[] }).results.map((raw) => normalizeEvent(raw))
    const rows = [
      ...rawEvents.map((raw) => normalizeEvent(raw)),
      ...records.map((cells) => csvRecordToEvent(header, cells)),
      ...apiEvents
    ]
    expect(rows.map((row) => row.columns)).toEqual(sqlEventColumns(rows))
    // The fixtures do exercise the columns: most events carry a URL and a browser.
    const filled = rows.filter(
      (row) => row.columns.values[0] !== null && row.columns.values[4] !== null
    )
    expect(filled.length).toBeGreaterThan(rows.length / 2)
    expect(apiEvents.length).toBeGreaterThan(0)
  })

  it('equal the SQL extraction on odd values: nested, numbers, booleans, null, missing, unicode, escapes', () => {
    const odd: unknown[] = [
      { nested: { a: [1, 'x', null, { b: 'é "q" \\ \n' }] } },
      [],
      {},
      ['a', ['b']],
      0,
      -0,
      1.5,
      -12.25,
      1e21,
      1e-7,
      Number('12345678901234567890'),
      Number.MAX_SAFE_INTEGER,
      true,
      false,
      null,
      '',
      'null',
      '42',
      'true',
      '{"not":"parsed"}',
      'café 日本語 😀',
      'quote " backslash \\ slash /',
      'line\nfeed\ttab\r\u0001\u001f\u007f',
      '\u2028\u2029',
      'nul\u0000inside',
      { 'é😀': '\u2028', '': ['\u0000'] }
    ]
    const rows: EventRow[] = []
    for (const [i, value] of odd.entries()) {
      const property = EVENT_COLUMNS[i % EVENT_COLUMNS.length].property
      rows.push(eventWith({ [property]: value }))
      // Every column at once, and beside other keys.
      const all: Record<string, unknown> = { before: 1 }
      for (const c of EVENT_COLUMNS) all[c.property] = value
      all.after = { x: value }
      rows.push(eventWith(all))
    }
    rows.push(eventWith({}))
    rows.push(eventWith({ $current_url: undefined, $pathname: Number.NaN, $host: () => 1 }))
    rows.push(eventWith({ $browser: new Date(Date.UTC(2024, 0, 2)), $os: { toJSON: () => 7 } }))
    // HogQL-style top-level keys and JSON-text properties (ClickHouse rows).
    rows.push(
      normalizeEvent({
        uuid: 'h',
        event: 'e',
        distinct_id: 'd',
        timestamp: 1,
        'properties.$current_url': 'https://h.test/x',
        properties: '{"$os":"Linux","$device_id":12}'
      })
    )
    const expected = sqlEventColumns(rows)
    rows.forEach((row, i) => expect(row.columns, row.properties).toEqual(expected[i]))
    expect(rows.some((row) => row.columns.other === 1)).toBe(true)
    // A lone UTF-16 surrogate is no Unicode text: the value is the JSON path's, and SQL and the driver store the same
    // (CESU-8) bytes for it, read back as three U+FFFD.
    const lone = eventWith({ $pathname: 'a\ud800b' })
    expect(lone.columns.values[1]).toBe('a\ud800b')
    const db = createTestDb()
    createEventColumnsWriter(db)(1, lone.columns)
    const stored = db.prepare(`SELECT pathname FROM event_columns WHERE rowid = 1`).pluck().get()
    expect(stored).toBe('a\ufffd\ufffd\ufffdb')
    expect(sqlEventColumns([lone])[0].values[1]).toBe(stored)
    expect(eventWith({ $browser: 42, $os: 'iOS' }).columns).toEqual({
      other: 1,
      values: [null, null, null, null, '42', 'iOS', null, null]
    })
  })
})
