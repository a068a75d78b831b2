import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixturePath } from '../test/test-db'
import { classifyJsonRecord } from './record-kind'

function readJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(fixturePath(...parts), 'utf8'))
}

function readLines(...parts: string[]): unknown[] {
  return readFileSync(fixturePath(...parts), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown)
}

const sample = (name: string) => readJson('samples', name)

describe('classifyJsonRecord on the fixtures', () => {
  it('sees every line of events.jsonl as an event and of persons.jsonl as a person', () => {
    const events = readLines('acme-small', 'events.jsonl')
    expect(events).toHaveLength(1074)
    for (const event of events) expect(classifyJsonRecord(event)).toBe('event')
    for (const person of readLines('acme-small', 'persons.jsonl')) {
      expect(classifyJsonRecord(person)).toBe('person')
    }
  })

  it('sees every recording export (V2, compressed, UI download, V1) as a recording export', () => {
    const files = [
      ...readdirSync(fixturePath('acme-small', 'recordings')).map((f) => ['recordings', f]),
      ...readdirSync(fixturePath('acme-small', 'recordings-variants')).map((f) => [
        'recordings-variants',
        f
      ])
    ]
    expect(files.length).toBe(38 + 3)
    for (const [folder, file] of files) {
      expect(classifyJsonRecord(readJson('acme-small', folder, file)), file).toBe(
        'recording-export'
      )
    }
  })

  it('tells the API pages apart', () => {
    expect(
      classifyJsonRecord(
        sample('kitadmin01__analytickit__cypress__fixtures__api__person__persons.json')
      )
    ).toBe('persons-page')
    expect(
      classifyJsonRecord(
        sample('kitadmin01__analytickit__cypress__fixtures__api__event__single_person_events.json')
      )
    ).toBe('events-page')
  })

  it('reads the ClickHouse-row $exception sample as an event', () => {
    expect(
      classifyJsonRecord(
        sample('PostHog__posthog__rust__cymbal__tests__static__raw_ch_exception_list.json')
      )
    ).toBe('event')
  })

  it('sees rrweb events, blob v1 lines and blob_v2 lines', () => {
    const rrweb = sample(
      'rrweb-io__rrweb__packages__rrweb-player__public__events.json'
    ) as unknown[]
    expect(rrweb).toHaveLength(272)
    for (const event of rrweb) expect(classifyJsonRecord(event)).toBe('rrweb-event')
    const blobV1 = readLines(
      'samples',
      'PostHog__posthog__frontend__src__scenes__session-recordings__mocks__recording_snapshots.jsonl'
    )
    expect(blobV1).toHaveLength(2)
    for (const line of blobV1) expect(classifyJsonRecord(line)).toBe('blob-line')
    const snapshots = (
      readJson(
        'acme-small',
        'recordings',
        readdirSync(fixturePath('acme-small', 'recordings'))[0]
      ) as {
        data: { snapshots: Array<{ windowId: string }> }
      }
    ).data.snapshots
    for (const event of snapshots.slice(0, 50)) {
      expect(classifyJsonRecord(event)).toBe('rrweb-event')
      expect(classifyJsonRecord([event.windowId, event])).toBe('blob-line')
      expect(classifyJsonRecord([1, event])).toBe('blob-line')
    }
  })

  it('leaves recording metadata and other objects unknown', () => {
    expect(
      classifyJsonRecord(
        sample(
          'PostHog__posthog__frontend__src__scenes__session-recordings__mocks__recording_meta.json'
        )
      )
    ).toBe('unknown')
    const console = sample(
      'rrweb-io__rrweb__packages__plugins__rrweb-plugin-console-record__test__snapshots.json'
    )
    expect(classifyJsonRecord(console)).toBe('unknown')
  })
})

describe('classifyJsonRecord on small shapes', () => {
  it('classifies by the documented keys', () => {
    const cases: Array<[unknown, string]> = [
      [{ event: 'e', uuid: 'u', timestamp: 't' }, 'event'],
      [{ event: 'e', id: 'u', timestamp: 1 }, 'event'],
      [{ event: 'e', distinct_id: 'd', timestamp: 't' }, 'event'],
      [{ event: 'e', distinct_id: 'd' }, 'event'],
      [{ event: 'e' }, 'unknown'],
      [{ event: 5, uuid: 'u', timestamp: 1 }, 'unknown'],
      [{ distinct_ids: [], id: 1 }, 'person'],
      [{ person_id: 'p', distinct_id: 'd', is_deleted: 0 }, 'person'],
      [{ person_id: 'p', distinct_id: 'd', event: 'e' }, 'event'],
      [{ results: [{ id: 1, distinct_ids: ['a'] }], next: null }, 'persons-page'],
      [{ results: [{ id: 'u', event: 'e', timestamp: 't', distinct_id: 'd' }] }, 'events-page'],
      [{ results: [] }, 'unknown'],
      [{ results: [['row', 'array']], columns: ['a', 'b'] }, 'unknown'],
      [{ type: 2, timestamp: 1, data: {} }, 'rrweb-event'],
      [{ type: '2', timestamp: 1 }, 'unknown'],
      [{ window_id: 'w', data: [] }, 'blob-line'],
      [{ windowId: 1, data: [{ type: 4, timestamp: 1 }] }, 'blob-line'],
      [['w', { type: 2, timestamp: 1 }], 'blob-line'],
      [['w', { type: 2 }], 'unknown'],
      [[{ type: 2, timestamp: 1 }], 'unknown'],
      [{ version: '2023-04-28', data: { id: 'x', snapshots: [] } }, 'recording-export'],
      [{ version: '2099-01-01', data: {} }, 'recording-export'],
      [{ data: { snapshots: [] } }, 'recording-export'],
      [{ data: { snapshotsByWindowId: {} } }, 'recording-export'],
      [{ snapshotsByWindowId: {}, metadata: {} }, 'recording-export'],
      [{ snapshots: [] }, 'recording-export'],
      [{ data: 'x' }, 'unknown'],
      [{}, 'unknown'],
      [null, 'unknown'],
      [5, 'unknown'],
      ['event', 'unknown'],
      [[], 'unknown']
    ]
    for (const [value, kind] of cases)
      expect(classifyJsonRecord(value), JSON.stringify(value)).toBe(kind)
  })
})
