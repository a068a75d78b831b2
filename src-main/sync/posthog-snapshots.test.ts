import { describe, expect, it } from 'vitest'
import { parseSnapshotBody, planSnapshotRequests } from './posthog-snapshots'

const blob = (key: string) => ({
  source: 'blob_v2',
  blob_key: key,
  start_timestamp: null,
  end_timestamp: null
})

describe('planSnapshotRequests', () => {
  it('groups consecutive blob_v2 keys into ranges of at most 20, split at gaps', () => {
    const keys = [...Array.from({ length: 45 }, (_, i) => String(i)), '50', '51', '49']
    expect(
      planSnapshotRequests([...keys.map(blob), { source: 'realtime', blob_key: null }])
    ).toEqual([
      { kind: 'blob_v2', startKey: '0', endKey: '19' },
      { kind: 'blob_v2', startKey: '20', endKey: '39' },
      { kind: 'blob_v2', startKey: '40', endKey: '44' },
      { kind: 'blob_v2', startKey: '49', endKey: '51' }
    ])
  })

  it('falls back to long-term storage, then to the legacy sources', () => {
    expect(planSnapshotRequests([{ source: 'blob_v2_lts', blob_key: 'a/b/c' }])).toEqual([
      { kind: 'blob_v2_lts', blobKey: 'a/b/c' }
    ])
    expect(
      planSnapshotRequests([
        { source: 'blob', blob_key: '1-2' },
        { source: 'realtime', blob_key: null }
      ])
    ).toEqual([
      { kind: 'legacy', source: 'blob', blobKey: '1-2' },
      { kind: 'legacy', source: 'realtime', blobKey: null }
    ])
    expect(planSnapshotRequests([])).toEqual([])
  })
})

describe('parseSnapshotBody', () => {
  it('reads blob_v2 pairs, legacy window objects and snapshot documents, and counts broken lines', () => {
    const meta = { type: 4, timestamp: 1, data: { href: 'https://x.test/' } }
    const full = { type: 2, timestamp: 2, data: 'compressed', cv: '2024-10' }
    expect(
      parseSnapshotBody(
        `["w1",${JSON.stringify(meta)}]\n["w1",${JSON.stringify(full)}]\n["w1",{"type":3`
      )
    ).toEqual({
      events: [
        { ...meta, windowId: 'w1' },
        { ...full, windowId: 'w1' }
      ],
      badLines: 1
    })
    expect(
      parseSnapshotBody(JSON.stringify({ window_id: 'w2', data: [meta, full] })).events
    ).toEqual([
      { ...meta, windowId: 'w2' },
      { ...full, windowId: 'w2' }
    ])
    expect(
      parseSnapshotBody(JSON.stringify({ snapshots: [{ windowId: 'w3', data: [meta] }] })).events
    ).toEqual([{ ...meta, windowId: 'w3' }])
  })
})
