import { readFileSync } from 'node:fs'
import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fixturePath } from '../test/test-db'
import { RecordingBuilder, type PreparedRecording } from './recording-builder'

type Manifest = {
  recordings: {
    session_id: string
    file: string
    start_time: string
    end_time: string
    duration_ms: number
    snapshot_count: number
    full_snapshots: number
    window_ids: string[]
    urls: string[]
    console_errors: number
  }[]
}

const manifest = JSON.parse(readFileSync(fixturePath('acme-small', 'MANIFEST.json'), 'utf8')) as Manifest

function buildFromExport(file: string): PreparedRecording {
  const exported = JSON.parse(readFileSync(fixturePath('acme-small', file), 'utf8')) as {
    data: { id: string; snapshots: unknown[] }
  }
  const builder = new RecordingBuilder({ id: exported.data.id, idSource: 'export', format: 'test' })
  for (const event of exported.data.snapshots) builder.add(event)
  return builder.finish()
}

function chunkEvents(recording: PreparedRecording, windowId?: string): { type: number; timestamp: number }[] {
  return recording.chunks
    .filter((chunk) => windowId === undefined || chunk.windowId === windowId)
    .flatMap((chunk) => JSON.parse(inflateRawSync(chunk.data).toString('utf8')) as { type: number; timestamp: number }[])
}

describe('RecordingBuilder on real posthog-js recordings', () => {
  it('derives start, end, windows, URLs and console errors as the manifest says, for every recording', () => {
    for (const expected of manifest.recordings) {
      const recording = buildFromExport(expected.file)
      expect(recording.startMs, expected.session_id).toBe(Date.parse(expected.start_time))
      expect(recording.endMs, expected.session_id).toBe(Date.parse(expected.end_time))
      expect(recording.durationMs).toBe(expected.duration_ms)
      expect(recording.eventCount + recording.duplicateCount).toBe(expected.snapshot_count)
      expect([...recording.windowIds].sort()).toEqual([...expected.window_ids].sort())
      expect(recording.urls, expected.session_id).toEqual(expected.urls)
      expect(recording.consoleErrorCount, expected.session_id).toBe(expected.console_errors)
      expect(recording.brokenReason).toBeNull()
      const fullSnapshotChunks = recording.chunks.filter((c) => c.hasFullSnapshot).length
      if (recording.duplicateCount === 0) expect(fullSnapshotChunks).toBe(expected.full_snapshots)
      else expect(fullSnapshotChunks).toBeLessThan(expected.full_snapshots)
    }
  })

  it('stores every event once, in time order per window, each full snapshot chunk starting with Meta', () => {
    const expected = manifest.recordings.find((r) => r.window_ids.length > 1)!
    const recording = buildFromExport(expected.file)
    expect(chunkEvents(recording)).toHaveLength(expected.snapshot_count - recording.duplicateCount)
    for (const windowId of recording.windowIds) {
      const events = chunkEvents(recording, windowId)
      expect(events.map((e) => e.timestamp)).toEqual([...events.map((e) => e.timestamp)].sort((a, b) => a - b))
    }
    for (const chunk of recording.chunks.filter((c) => c.hasFullSnapshot)) {
      const events = JSON.parse(inflateRawSync(chunk.data).toString('utf8')) as { type: number }[]
      expect(events.slice(0, 2).map((e) => e.type)).toEqual([4, 2])
    }
  })

  it('computes active time from activity segments, never more than the duration', () => {
    for (const expected of manifest.recordings.slice(0, 10)) {
      const recording = buildFromExport(expected.file)
      expect(recording.activeMs).toBeGreaterThan(0)
      expect(recording.activeMs).toBeLessThanOrEqual(recording.durationMs)
      const active = recording.segments.filter((s) => s.isActive)
      expect(active.every((s) => s.endMs >= s.startMs)).toBe(true)
    }
  })

  it('decompresses cv 2024-10 events into the same events as the plain export', () => {
    const plain = buildFromExport('recordings/01a16329-a5db-7c38-8220-3b794d6049a8.json')
    const compressed = buildFromExport('recordings-variants/01a16329-a5db-7c38-8220-3b794d6049a8.cv-2024-10.json')
    const strip = (events: object[]) => events.map((e) => JSON.stringify({ ...e, cv: undefined, delay: undefined }))
    expect(compressed.eventCount).toBe(plain.eventCount)
    expect(strip(chunkEvents(compressed))).toEqual(strip(chunkEvents(plain)))
    expect(compressed.urls).toEqual(plain.urls)
  })
})

describe('RecordingBuilder normalisation', () => {
  const meta = (ts: number) => ({ type: 4, timestamp: ts, data: { href: 'https://a.test/', width: 800, height: 600 } })
  const full = (ts: number) => ({ type: 2, timestamp: ts, data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } } })
  const move = (ts: number) => ({ type: 3, timestamp: ts, data: { source: 1, positions: [{ x: 1, y: 1, id: 1, timeOffset: 0 }] } })

  it('sorts out-of-order events and removes exact duplicates', () => {
    const builder = new RecordingBuilder({ id: 's', idSource: 'export', format: 'test' })
    for (const event of [move(30), meta(10), full(10), move(20), move(20), move(30)]) builder.add(event)
    const recording = builder.finish()
    expect(chunkEvents(recording).map((e) => e.timestamp)).toEqual([10, 10, 20, 30])
    expect(recording.warnings.join()).toMatch(/2 duplicate/)
  })

  it('synthesises a Meta event before a full snapshot that has none', () => {
    const builder = new RecordingBuilder({ id: 's', idSource: 'export', format: 'test' })
    for (const event of [full(10), move(20)]) builder.add(event)
    const events = chunkEvents(builder.finish())
    expect(events.map((e) => e.type)).toEqual([4, 2, 3])
  })

  it('accepts numeric window ids and keeps windows apart', () => {
    const builder = new RecordingBuilder({ id: 's', idSource: 'export', format: 'test' })
    builder.add(meta(1), 1)
    builder.add(full(2), 1)
    builder.add(meta(3), '2')
    builder.add(full(4), 2)
    const recording = builder.finish()
    expect(recording.windowIds).toEqual(['1', '2'])
  })

  it('marks a recording without a full snapshot as broken and drops what is not an event', () => {
    const builder = new RecordingBuilder({ id: 's', idSource: 'export', format: 'test' })
    builder.add(meta(1))
    builder.add(move(2))
    builder.add({ hello: 'world' })
    builder.add({ type: 2, timestamp: 5, cv: '2024-10', data: 'not gzip' })
    const recording = builder.finish()
    expect(recording.brokenReason).toMatch(/no full snapshot/)
    expect(recording.warnings.join('\n')).toMatch(/1 event\(s\) dropped: not an rrweb event/)
    expect(recording.warnings.join('\n')).toMatch(/undecodable compressed data/)
  })
})
