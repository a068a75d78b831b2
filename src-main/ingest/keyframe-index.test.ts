import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createTestDb } from '../test/test-db'
import { createChangeSet, createImportStore } from './import-store'
import { KEYFRAME_EVERY_EVENTS } from './keyframe-index'
import { getKeyframe, listKeyframes } from './keyframe-store'
import { KeyframeTree, type KeyframeEvent } from '@shared/keyframe-tree'
import { RecordingBuilder, type PreparedRecording } from './recording-builder'

const START = Date.UTC(2026, 9, 1, 12, 0, 0)
const WINDOW = 'w1'

/** A page load: Meta + a full snapshot with a list (ul 5) of `items` li's (ids 100+). */
function pageLoad(ts: number, items: number): KeyframeEvent[] {
  const li = Array.from({ length: items }, (_, i) => ({
    type: 2,
    id: 100 + i,
    tagName: 'li',
    attributes: {},
    childNodes: [{ type: 3, id: 10_000 + i, textContent: `item ${i}` }]
  }))
  return [
    { type: 4, timestamp: ts, data: { href: 'https://k.test/', width: 1000, height: 700 } },
    {
      type: 2,
      timestamp: ts + 1,
      data: {
        initialOffset: { left: 0, top: 0 },
        node: {
          type: 0,
          id: 1,
          childNodes: [
            {
              type: 2,
              id: 2,
              tagName: 'html',
              attributes: {},
              childNodes: [
                {
                  type: 2,
                  id: 4,
                  tagName: 'body',
                  attributes: {},
                  childNodes: [{ type: 2, id: 5, tagName: 'ul', attributes: {}, childNodes: li }]
                }
              ]
            }
          ]
        }
      }
    }
  ]
}

/** A mutation event at `ts`: the given lists, the others empty. */
function mutation(
  ts: number,
  lists: { texts?: unknown[]; attributes?: unknown[]; removes?: unknown[]; adds?: unknown[] }
): KeyframeEvent {
  return {
    type: 3,
    timestamp: ts,
    data: { source: 0, texts: [], attributes: [], removes: [], adds: [], ...lists }
  }
}

/** `count` incrementals from `ts`: mostly mouse moves, every 10th a text, attribute, add or remove mutation. */
function activity(ts: number, count: number, seed: number): KeyframeEvent[] {
  const events: KeyframeEvent[] = []
  let nextId = 50_000 + seed * 100_000
  const added: number[] = []
  for (let i = 0; i < count; i++) {
    const t = ts + 2 + i * 10
    if (i % 10 !== 0) {
      events.push({
        type: 3,
        timestamp: t,
        data: { source: 1, positions: [{ x: i % 997, y: i % 601, id: 4, timeOffset: 0 }] }
      })
      continue
    }
    const kind = (i / 10) % 4
    const item = 100 + ((i * 7) % 50)
    if (kind === 0)
      events.push(mutation(t, { texts: [{ id: 10_000 + (item - 100), value: `v${i}` }] }))
    else if (kind === 1)
      events.push(mutation(t, { attributes: [{ id: item, attributes: { class: `c${i % 13}` } }] }))
    else if (kind === 2 || added.length < 20) {
      const id = nextId++
      added.push(id)
      const node = { type: 2, id, tagName: 'li', attributes: { class: 'new' }, childNodes: [] }
      events.push(mutation(t, { adds: [{ parentId: 5, nextId: item, node }] }))
    } else {
      events.push(mutation(t, { removes: [{ parentId: 5, id: added.shift() as number }] }))
    }
    if (i % 50 === 0)
      events.push({ type: 3, timestamp: t, data: { source: 3, id: 1, x: 0, y: i % 900 } })
  }
  return events
}

function prepare(events: KeyframeEvent[]): PreparedRecording {
  const builder = new RecordingBuilder({ id: 'rec-k', idSource: 'export', format: 'test' })
  for (const event of events) builder.add(event, WINDOW)
  return builder.finish()
}

/** The state events of a keyframe as a set (their order only follows when each was last updated). */
const stateSet = (events: KeyframeEvent[]) =>
  events
    .slice(2)
    .map((e) => JSON.stringify(e))
    .sort()

describe('keyframes at import', () => {
  const first = pageLoad(START, 200)
  const second = pageLoad(START + 400_000, 120)
  const events = [
    ...first,
    ...activity(START, 30_000, 1),
    ...second,
    ...activity(START + 400_000, 12_000, 2)
  ]
  const prepared = prepare(events)
  const keyframes = prepared.keyframes ?? []

  it('are made before chunks that do not start a page, once enough events have passed', () => {
    expect(prepared.chunks.length).toBeGreaterThan(6)
    expect(keyframes.length).toBeGreaterThan(2)
    const chunkBySeq = new Map(prepared.chunks.map((c) => [c.seq, c]))
    let before = 0
    let since = 0
    let lastSeq = -1
    for (const chunk of prepared.chunks) {
      const keyframe = keyframes.find((k) => k.seq === chunk.seq)
      if (keyframe) {
        expect(chunk.hasFullSnapshot).toBe(false)
        expect(since).toBeGreaterThanOrEqual(KEYFRAME_EVERY_EVENTS)
        expect(keyframe.timestampMs).toBe(chunk.firstMs)
        since = 0
        lastSeq = chunk.seq
      } else if (!chunk.hasFullSnapshot && since >= KEYFRAME_EVERY_EVENTS) {
        throw new Error(`chunk ${chunk.seq} has no keyframe after ${since} events`)
      }
      if (chunk.hasFullSnapshot) since = 0
      since += chunk.eventCount
      before += chunk.eventCount
    }
    expect(before).toBe(prepared.eventCount)
    expect(chunkBySeq.get(lastSeq)).toBeDefined()
    // The second page load (seq after its Meta) restarted the count: a keyframe follows it in its own page.
    const secondPageSeq = prepared.chunks.findIndex((c, i) => i > 0 && c.hasFullSnapshot)
    expect(secondPageSeq).toBeGreaterThan(0)
    expect(keyframes.some((k) => k.seq > secondPageSeq)).toBe(true)
  })

  it('hold the page as applying every event before the chunk does', () => {
    const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp)
    for (const keyframe of keyframes) {
      const stored = JSON.parse(inflateRawSync(keyframe.data).toString('utf8')) as KeyframeEvent[]
      expect(stored).toHaveLength(keyframe.eventCount)
      const chunkIndex = prepared.chunks.findIndex((c) => c.seq === keyframe.seq)
      const eventsBefore = prepared.chunks
        .slice(0, chunkIndex)
        .reduce((n, c) => n + c.eventCount, 0)
      const tree = new KeyframeTree()
      for (const event of sorted.slice(0, eventsBefore))
        tree.apply(JSON.parse(JSON.stringify(event)) as KeyframeEvent)
      const expected = tree.keyframe(keyframe.timestampMs) as KeyframeEvent[]
      expect(stored.slice(0, 2)).toEqual(expected.slice(0, 2))
      expect(stateSet(stored)).toEqual(stateSet(expected))
      // The list really changed since the page loaded.
      expect(JSON.stringify(stored[1]).includes('"new"')).toBe(true)
    }
  })

  it('are not made for a short window', () => {
    expect(prepare([...first, ...activity(START, 3_000, 1)]).keyframes).toEqual([])
  })

  it('are stored with the recording, listed and read by chunk seq, and deleted with it', () => {
    const db = createTestDb()
    const store = createImportStore(db)
    store.storeRecording(prepared, { path: '/k.json', contentHash: null }, createChangeSet())
    const listed = listKeyframes(db, 'rec-k')
    expect(listed).toEqual(
      keyframes.map((k) => ({
        seq: k.seq,
        windowId: WINDOW,
        timestampMs: k.timestampMs,
        byteLength: k.data.byteLength
      }))
    )
    const bytes = getKeyframe(db, 'rec-k', keyframes[0]?.seq as number)
    expect(
      Buffer.from(bytes as Uint8Array).equals(Buffer.from(keyframes[0]?.data as Uint8Array))
    ).toBe(true)
    expect(getKeyframe(db, 'rec-k', 0)).toBeNull()
    db.prepare(`DELETE FROM recordings WHERE id = ?`).run('rec-k')
    expect(listKeyframes(db, 'rec-k')).toEqual([])
  })
})
