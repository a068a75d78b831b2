import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { collectAssetUrls, createAssetScanState } from '../assets/collect-asset-urls'
import { fixturePath } from '../test/test-db'
import { RecordingBuilder, type PreparedRecording } from './recording-builder'
import { readSimpleEvent, type SimpleEvent } from './simple-event-reader'
import {
  describeEvent,
  describeSimpleEvent,
  normaliseSnapshotEvent,
  type RawEvent
} from './snapshot-event'

/** Every rrweb event (an object with a number type and timestamp) anywhere in a parsed document. */
function findEvents(
  value: unknown,
  out: Record<string, unknown>[] = []
): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const item of value) findEvents(item, out)
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    if (typeof record.type === 'number' && typeof record.timestamp === 'number') out.push(record)
    else for (const child of Object.values(record)) findEvents(child, out)
  }
  return out
}

function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown)
  }
}

function fixtureEvents(): { file: string; events: Record<string, unknown>[] }[] {
  const files = [
    ...readdirSync(fixturePath('acme-small', 'recordings')).map((name) =>
      fixturePath('acme-small', 'recordings', name)
    ),
    ...readdirSync(fixturePath('acme-small', 'recordings-variants')).map((name) =>
      fixturePath('acme-small', 'recordings-variants', name)
    ),
    ...readdirSync(fixturePath('samples'))
      .filter((name) => /\.(json|jsonl)$/.test(name))
      .map((name) => join(fixturePath('samples'), name))
  ]
  return files.map((file) => ({
    file,
    events: findEvents(parseDocument(readFileSync(file, 'utf8')))
  }))
}

function newBuilder(): RecordingBuilder {
  const state = createAssetScanState()
  return new RecordingBuilder({
    id: 'r',
    idSource: 'export',
    format: 'test',
    collectAssetUrls: (event, add) => collectAssetUrls(event, add, undefined, state)
  })
}

/** What `JSON.parse` and the recording builder's slow path make of an event's bytes, in the reader's terms. */
function parsedFacts(raw: string): {
  timestamp: number
  windowId: unknown
  windowIdSnake: unknown
  info: unknown
} {
  const value = JSON.parse(raw) as Record<string, unknown>
  const normalised = normaliseSnapshotEvent(value)
  if ('dropped' in normalised) throw new Error(`dropped: ${normalised.dropped}`)
  if (normalised.changed) throw new Error('the slow path changed the event')
  const window = (v: unknown) =>
    v === undefined || v === null || typeof v === 'string' || typeof v === 'number' ? v : false
  return {
    timestamp: normalised.event.timestamp,
    windowId: window(value.windowId),
    windowIdSnake: window(value.window_id),
    info: describeEvent(normalised.event as RawEvent)
  }
}

function readerFacts(simple: SimpleEvent) {
  return {
    timestamp: simple.timestamp,
    windowId: simple.windowId,
    windowIdSnake: simple.windowIdSnake,
    info: describeSimpleEvent(simple)
  }
}

describe('readSimpleEvent', () => {
  it('builds the same recording as JSON.parse from every event of the fixtures', () => {
    let taken = 0
    let total = 0
    const differences: string[] = []
    for (const { file, events } of fixtureEvents()) {
      if (events.length === 0) continue
      const slow = newBuilder()
      const fast = newBuilder()
      for (const event of events) {
        const raw = Buffer.from(JSON.stringify(event))
        slow.add(JSON.parse(raw.toString('utf8')), undefined, raw)
        const simple = readSimpleEvent(raw)
        total++
        if (simple === null) fast.add(JSON.parse(raw.toString('utf8')), undefined, raw)
        else {
          taken++
          const [read, parsed] = [readerFacts(simple), parsedFacts(raw.toString('utf8'))]
          if (JSON.stringify(read) !== JSON.stringify(parsed))
            differences.push(`${file}: ${raw.toString('utf8')}`)
          fast.addSimple(simple, undefined, raw)
        }
      }
      const [fastRecording, slowRecording] = [fast.finish(), slow.finish()]
      // Chunks compared as bytes (vitest's deep equality walks typed arrays one element at a time).
      const chunkBytes = (recording: PreparedRecording) =>
        Buffer.concat(recording.chunks.map((chunk) => chunk.data))
      expect(chunkBytes(fastRecording).equals(chunkBytes(slowRecording)), file).toBe(true)
      const withoutData = (recording: PreparedRecording) => ({
        ...recording,
        chunks: recording.chunks.map((chunk) => ({ ...chunk, data: chunk.data.length }))
      })
      expect(withoutData(fastRecording), file).toEqual(withoutData(slowRecording))
    }
    expect(differences).toEqual([])
    // Most events of real recordings are small incrementals: the fast path must actually be taken.
    expect(taken).toBeGreaterThan(total / 3)
  })

  const window = '"windowId":"w-1"'
  const accepted: string[] = [
    `{"type":3,"timestamp":1700000000000,"data":{"source":1,"positions":[{"x":1,"y":2,"id":3,"timeOffset":-40}]},${window}}`,
    // White space of every kind but the line feed, and keys in any order.
    `{\t"data" : { "positions" : [ ] , "source" :1 } ,\r"timestamp": 1700000000001 , "type":3 } \t`,
    // Numbers as JSON spells them.
    '{"type":3e0,"timestamp":1.7e12,"data":{"source":2,"type":2,"id":12,"x":-0,"y":0.5E+2}}',
    '{"type":3.0,"timestamp":1700000000002.75,"data":{"source":2,"type":4,"id":1e2}}',
    '{"type":3,"timestamp":-5,"data":{"source":2,"type":"2","id":7}}',
    '{"type":3,"timestamp":12345678901234567890,"data":{"source":3,"id":1,"x":0,"y":400}}',
    '{"type":3,"timestamp":1,"data":{"source":4,"width":1280,"height":720.5}}',
    '{"type":3,"timestamp":1,"data":{"source":4,"width":"1280"}}',
    // Escapes inside nested strings and other keys; literals.
    '{"type":3,"timestamp":2,"data":{"source":5,"text":"a\\"b\\\\c\\/d\\u00e9\\n\\t","isChecked":true,"userTriggered":false,"x":null,"id":9}}',
    '{"type":3,"timestamp":2,"data":{"source":5,"text":"日本語 ✓","id":9,"nested":{"a":[[],{},[{"b":[1,2,{"c":null}]}]]}}}',
    // Window ids of every kind.
    '{"type":3,"timestamp":3,"data":{"source":1,"positions":[]},"windowId":null,"window_id":"snake"}',
    '{"type":3,"timestamp":3,"data":{"source":1,"positions":[]},"windowId":7}',
    '{"type":3,"timestamp":3,"data":{"source":1,"positions":[]},"windowId":"w\\u002d2"}',
    '{"type":3,"timestamp":3,"windowId":"w-3","data":{"source":5,"text":"a\\"b","id":1}}',
    '{"type":3,"timestamp":3,"data":{"source":5,"text":"a\\"b","id":1},"windowId":"w-3"}',
    '{"type":3,"timestamp":3,"data":{"source":1,"positions":[]},"windowId":"w\\\\3"}',
    '{"type":3,"timestamp":3,"data":{"source":1,"positions":[]},"windowId":{"id":1}}',
    '{"type":3,"timestamp":3,"data":{"source":1,"positions":[]},"window_id":[1],"windowId":""}',
    // Sources that reference no assets, including ones derivation does not know.
    '{"type":3,"timestamp":4,"data":{"source":6,"positions":[]}}',
    '{"type":3,"timestamp":4,"data":{"source":9,"id":5,"type":0,"commands":[]}}',
    '{"type":3,"timestamp":4,"data":{"source":-1}}',
    '{"type":3,"timestamp":4,"data":{"source":2.5,"type":2}}'
  ]

  it('reads odd but valid spellings exactly as JSON.parse does', () => {
    for (const text of accepted) {
      const simple = readSimpleEvent(Buffer.from(text))
      expect(simple, text).not.toBeNull()
      expect(readerFacts(simple!), text).toEqual(parsedFacts(text))
    }
  })

  const refused: string[] = [
    // Not JSON.
    '{"type":3,"timestamp":1,"data":{"source":1,"positions":[1,2,]}}',
    '{"type":3,"timestamp":1,"data":{"source":1}',
    '{"type":3,"timestamp":01,"data":{"source":1}}',
    '{"type":3,"timestamp":1.,"data":{"source":1}}',
    '{"type":3,"timestamp":1,"data":{"source":1,"text":"\\x"}}',
    '{"type":3,"timestamp":1,"data":{"source":1,"text":"\\u12g4"}}',
    '{"type":3,"timestamp":1,"data":{"source":1,"text":"tab\there"}}',
    '{"type":3,"timestamp":1,"data":{"source":1,"ok":tru}}',
    '{"type":3,"timestamp":1,"data":{"source":1}} x',
    // Bad separators, at the top level and in data.
    '{"type":3;"timestamp":1,"data":{"source":1}}',
    '{"type" 3,"timestamp":1,"data":{"source":1}}',
    '{"type":3,"timestamp":1,"data":{"source":1},}',
    '{"type":3,"timestamp":1,"data":{"source":1,}}',
    '{"type":3,"timestamp":1,"data":{"source" 1}}',
    '{"type":3,"timestamp":1,"data":{"source":1 "id":2}}',
    '{"type":3,"timestamp":1,"data":{"source":1,"id":}}',
    '{"type":3,"timestamp":1,"data":{"source":1} ',
    // Valid, but not for this reader: a line feed (re-serialised), other event types, asset sources, compression.
    '{"type":3,\n"timestamp":1,"data":{"source":1}}',
    '{"type":2,"timestamp":1,"data":{"node":{}}}',
    '{"type":4,"timestamp":1,"data":{"href":"https://x.test/","width":1,"height":1}}',
    '{"type":3,"timestamp":1,"data":{"source":0,"adds":[],"removes":[],"texts":[],"attributes":[]}}',
    '{"type":3,"timestamp":1,"data":{"source":8,"adds":[]}}',
    '{"type":3,"timestamp":1,"data":{"source":13,"set":{"value":"url(a.png)"}}}',
    '{"type":3,"timestamp":1,"data":{"source":1},"cv":"2024-10"}',
    '{"type":3,"timestamp":"1","data":{"source":1}}',
    '{"type":3,"timestamp":1e400,"data":{"source":1}}',
    '{"type":3,"timestamp":1,"data":{"source":"1"}}',
    '{"type":3,"timestamp":1,"data":[1]}',
    '{"type":3,"timestamp":1}',
    // Keys that could change what the record is: duplicates, escapes that may spell a known key, export-like data.
    '{"type":3,"type":3,"timestamp":1,"data":{"source":1}}',
    '{"type":3,"timestamp":1,"data":{"source":1,"source":2}}',
    '{"type":3,"timestamp":1,"data":{"sourc\\u0065":1}}',
    '{"typ\\u0065":3,"timestamp":1,"data":{"source":1}}',
    '{"type":3,"timestamp":1,"data":{"source":1,"snapshots":[]}}',
    '{"type":3,"timestamp":1,"delay":5,"data":{"source":1}}'
  ]

  it('leaves invalid JSON and events it does not take to JSON.parse', () => {
    for (const text of refused) expect(readSimpleEvent(Buffer.from(text)), text).toBeNull()
  })

  it('never takes bytes JSON.parse refuses, and agrees with it on what it takes (random edits of valid events)', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const alphabet = '{}[]",:\\ \t0123456789-+.eEtruefalsn'
    let taken = 0
    for (let round = 0; round < 20000; round++) {
      const base = accepted[Math.floor(random() * accepted.length)]
      const chars = [...base]
      const edits = 1 + Math.floor(random() * 3)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (chars.length + 1))
        const kind = random()
        const c = alphabet[Math.floor(random() * alphabet.length)]
        if (kind < 0.4) chars.splice(at, 1)
        else if (kind < 0.7) chars.splice(at, 0, c)
        else chars.splice(at, 1, c)
      }
      const text = chars.join('')
      const simple = readSimpleEvent(Buffer.from(text))
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        expect(simple, text).toBeNull()
        continue
      }
      if (simple === null) continue
      taken++
      expect(typeof parsed, text).toBe('object')
      expect(readerFacts(simple), text).toEqual(parsedFacts(text))
    }
    expect(taken).toBeGreaterThan(1000)
  })
})
