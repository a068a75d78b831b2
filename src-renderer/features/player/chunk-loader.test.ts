import { describe, expect, it } from 'vitest'
import type { RecordingId } from '@shared/domain'
import { createFakeApi } from '../../test/fake-api'
import { buildChunk } from '../../test/builders'
import { ChunkError, createChunkLoader, parseChunkEvents, startOpening } from './chunk-loader'

const APP = 'http://127.0.0.1:4870'
const events = [
  { type: 4, timestamp: 1_000, data: { href: 'https://shop.example/', width: 800, height: 600 } },
  { type: 2, timestamp: 1_001, data: { node: { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'img', attributes: { src: '/a.png' }, childNodes: [] }] } } },
  { type: 3, timestamp: 1_500, data: { source: 1, positions: [] } }
]

/** Raw-deflate bytes of a JSON value, as the importer stores chunks (made with the web API the renderer has). */
async function bytes(value: unknown): Promise<Uint8Array> {
  const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

describe('chunk loader', () => {
  it('fetches bytes once, inflates them and makes the events safe to replay', async () => {
    const api = createFakeApi({ 'recordings:get-chunk': (_id, seq) => (seq === 0 ? bytes(events) : null) })
    const loader = createChunkLoader(api, 'rec-1' as RecordingId, APP)
    const loaded = await loader.load(buildChunk({ seq: 0 }))
    await loader.load(buildChunk({ seq: 0 }))
    expect(api.calls).toHaveLength(1)
    expect(loaded.map((e) => e.timestamp)).toEqual([1_000, 1_001, 1_500])
    // The relative image URL resolved against the page and now points at the app's asset route.
    expect(JSON.stringify(loaded[1])).toContain(`${APP}/assets?url=https%3A%2F%2Fshop.example%2Fa.png`)
    expect(loader.bytesLoaded()).toBeGreaterThan(0)
  })

  it('uses the first chunk and the keyframe list asked for at the opening instead of asking again', async () => {
    const keyframes = [{ seq: 3, windowId: 'w1', timestampMs: 1_000, byteLength: 10 }]
    const api = createFakeApi({
      'recordings:get-chunk': (_id, seq) => (seq === 0 ? bytes(events) : null),
      'recordings:get-keyframes': () => keyframes
    })
    const opening = startOpening(api, 'rec-1' as RecordingId, APP)
    expect(api.calls.map((c) => c.channel).sort()).toEqual(['recordings:get-chunk', 'recordings:get-keyframes'])
    const loader = createChunkLoader(api, 'rec-1' as RecordingId, APP, opening)
    const loaded = await loader.load(buildChunk({ seq: 0 }))
    expect(loaded.map((e) => e.timestamp)).toEqual([1_000, 1_001, 1_500])
    // Made safe for replay by the loader, as a chunk it fetched itself would be.
    expect(JSON.stringify(loaded[1])).toContain(`${APP}/assets?url=`)
    expect(loader.bytesLoaded()).toBeGreaterThan(0)
    expect(await loader.listKeyframes()).toEqual(keyframes)
    expect(api.calls).toHaveLength(2)
  })

  it('continues a window from the first chunk made safe at the opening (an iframe known from its snapshot)', async () => {
    const first = [
      events[0],
      { type: 2, timestamp: 1_001, data: { node: { type: 0, id: 1, childNodes: [{ type: 2, id: 5, tagName: 'iframe', attributes: {}, childNodes: [] }] } } }
    ]
    const second = [{ type: 3, timestamp: 2_000, data: { source: 0, adds: [], removes: [], texts: [], attributes: [{ id: 5, attributes: { src: 'https://tracker.example/x' } }] } }]
    const api = createFakeApi({ 'recordings:get-chunk': (_id, seq) => bytes(seq === 0 ? first : second) })
    const loader = createChunkLoader(api, 'rec-1' as RecordingId, APP, startOpening(api, 'rec-1' as RecordingId, APP))
    await loader.load(buildChunk({ seq: 0, windowId: 'w1' }))
    const [mutation] = await loader.load(buildChunk({ seq: 1, windowId: 'w1' }))
    // Without the iframe's tag from the first chunk, the outside src would be left to load.
    expect(JSON.stringify(mutation)).toContain('"attributes":{"src":null}')
  })

  it('reports a first chunk that failed at the opening when it is loaded, and asks again on the next load', async () => {
    let stored: Uint8Array | null = null
    const api = createFakeApi({ 'recordings:get-chunk': () => stored })
    const loader = createChunkLoader(api, 'rec-1' as RecordingId, APP, startOpening(api, 'rec-1' as RecordingId, APP))
    await expect(loader.load(buildChunk({ seq: 0 }))).rejects.toThrow(/Part 1 .* missing/)
    stored = await bytes(events)
    expect((await loader.load(buildChunk({ seq: 0 }))).map((e) => e.timestamp)).toEqual([1_000, 1_001, 1_500])
  })

  it('reports a missing chunk and an undecodable one as ChunkErrors naming the part', async () => {
    const api = createFakeApi({
      'recordings:get-chunk': async (_id, seq) => (seq === 1 ? new Uint8Array([1, 2, 3, 4, 5]) : seq === 2 ? await bytes({ not: 'an array' }) : null)
    })
    const loader = createChunkLoader(api, 'rec-1' as RecordingId, APP)
    await expect(loader.load(buildChunk({ seq: 0 }))).rejects.toThrow(/Part 1 .* missing/)
    await expect(loader.load(buildChunk({ seq: 1 }))).rejects.toBeInstanceOf(ChunkError)
    await expect(loader.load(buildChunk({ seq: 1 }))).rejects.toThrow(/Part 2 .* could not be decoded/)
    await expect(loader.load(buildChunk({ seq: 2 }))).rejects.toThrow(/not a JSON array/)
  })

  it('loads a stored keyframe from bytes fetched ahead, once, and asks again after a failure', async () => {
    let stored: Uint8Array | null = null
    const api = createFakeApi({ 'recordings:get-keyframe': (_id, seq) => (seq === 3 ? stored : null) })
    const loader = createChunkLoader(api, 'rec-1' as RecordingId, APP)
    const keyframe = { seq: 3, windowId: 'w1', timestampMs: 1_000, byteLength: 0 }
    await expect(loader.loadKeyframe(keyframe)).rejects.toThrow(/saved position before part 4 .* missing/)
    stored = await bytes(events)
    await loader.prefetchBytes({ keyframe })
    await loader.prefetchBytes({ keyframe })
    expect(api.calls).toHaveLength(2)
    const loaded = await loader.loadKeyframe(keyframe)
    await loader.loadKeyframe(keyframe)
    expect(api.calls).toHaveLength(2)
    expect(loaded.map((e) => e.timestamp)).toEqual([1_000, 1_001, 1_500])
    expect(JSON.stringify(loaded[1])).toContain(`${APP}/assets?url=`)
  })

  it('keeps only well-formed events, in time order', () => {
    expect(parseChunkEvents('[{"type":3,"timestamp":5,"data":{}},null,{"type":"x","timestamp":1},{"type":2,"timestamp":2,"data":{}}]').map((e) => e.timestamp)).toEqual([2, 5])
  })
})
