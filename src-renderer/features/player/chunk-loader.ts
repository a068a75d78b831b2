/**
 * Fetches a recording's snapshot chunks as bytes, inflates them in the browser and parses them into rrweb events.
 *
 * A chunk is one window's events as a raw-deflate JSON array (see the contract). Each chunk is fetched once; events
 * are made safe for offline replay (replay-isolation.ts) in the order the chunks of a window are loaded.
 */
import type { RecordingId, SnapshotChunkInfo } from '@shared/domain'
import type { KeyframeInfo } from '@shared/contract/recording-channels'
import type { DesktopApi } from '@shared/ipc-contract'
import { assetUrlFor, createIsolationState, isolateEvents, type IsolationState } from './replay-isolation'
import { prepareReplayStyles } from './replay-styles'

/** A decoded rrweb event: what the Replayer needs is `type`, `timestamp` and `data`. */
export type ReplayEvent = { type: number; timestamp: number; data: unknown; delay?: number }

/** A chunk that cannot be played, with a message for the user. */
export class ChunkError extends Error {
  readonly seq: number
  constructor(seq: number, message: string) {
    super(message)
    this.name = 'ChunkError'
    this.seq = seq
  }
}

/** Inflates raw-deflate bytes to text with the browser's DecompressionStream. */
export async function inflateRaw(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
  return new Response(stream).text()
}

/** Parses a chunk's JSON and keeps only well-formed events, in timestamp order. */
export function parseChunkEvents(json: string): ReplayEvent[] {
  const parsed: unknown = JSON.parse(json)
  if (!Array.isArray(parsed)) throw new Error('chunk is not a JSON array')
  const events: ReplayEvent[] = []
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null) continue
    const event = item as ReplayEvent
    if (typeof event.type === 'number' && typeof event.timestamp === 'number' && Number.isFinite(event.timestamp)) {
      events.push(event)
    }
  }
  // Stored sorted; a stable sort keeps that order and fixes anything that is not.
  return events.sort((a, b) => a.timestamp - b.timestamp)
}

export type ChunkLoader = {
  /** The chunk's events; rejects with a `ChunkError` when the chunk is missing or undecodable. */
  load: (chunk: SnapshotChunkInfo) => Promise<ReplayEvent[]>
  /** Bytes fetched so far (compressed). */
  bytesLoaded: () => number
  /** The keyframes stored at import for this recording (fetched once; empty when there are none or on failure). */
  listKeyframes: () => Promise<KeyframeInfo[]>
  /** A stored keyframe's events (`[Meta, FullSnapshot, ...state]`); rejects with a `ChunkError` when unreadable. */
  loadKeyframe: (keyframe: KeyframeInfo) => Promise<ReplayEvent[]>
  /**
   * Fetches a chunk's or a stored keyframe's bytes ahead of need (kept compressed until loaded); resolves when they
   * are in, never rejects (a failure is reported when the part is loaded).
   */
  prefetchBytes: (part: { chunk: SnapshotChunkInfo } | { keyframe: KeyframeInfo }) => Promise<void>
}

/**
 * A chunk fetched, inflated and parsed. `isolation` is set when its events were already made safe for replay, as the
 * first of their window, with that state (the window's chunks after it continue with it).
 */
export type DecodedChunk = { byteLength: number; events: ReplayEvent[]; isolation?: IsolationState }

/**
 * What a player needs first, asked for as soon as a recording is opened, alongside its detail instead of after it:
 * the first chunk (seq 0: the recording's first full snapshot, the first chunk of its window), fetched, decoded and
 * made safe for replay while the detail travels, and the list of keyframes stored at import. Failures are left for
 * the loader to report.
 */
export type OpeningFetches = {
  chunks: Map<number, Promise<DecodedChunk>>
  keyframes: Promise<KeyframeInfo[]>
}

export function startOpening(api: DesktopApi, recordingId: RecordingId, appOrigin: string): OpeningFetches {
  const toAssetUrl = assetUrlFor(appOrigin)
  const first = decodeChunk(0, api.invoke('recordings:get-chunk', recordingId, 0)).then((decoded) => {
    const isolation = createIsolationState()
    isolateEvents(decoded.events, isolation, appOrigin, toAssetUrl)
    // Its stylesheets are rewritten for replay in a worker while the rest of the opening goes on.
    void prepareReplayStyles(decoded.events)
    return { ...decoded, isolation }
  })
  first.catch(() => undefined)
  return { chunks: new Map([[0, first]]), keyframes: listKeyframes(api, recordingId) }
}

/** The keyframes stored at import; empty on failure (only speed depends on them: seeks then replay from a full snapshot). */
function listKeyframes(api: DesktopApi, recordingId: RecordingId): Promise<KeyframeInfo[]> {
  return api.invoke('recordings:get-keyframes', recordingId).catch(() => [])
}

/** Inflates and parses part `seq` from its bytes; rejects with a `ChunkError` saying what is wrong with it. */
async function decodeChunk(seq: number, fetching: Promise<Uint8Array | null>): Promise<DecodedChunk> {
  let data: Uint8Array | null
  try {
    data = await fetching
  } catch (error) {
    throw new ChunkError(seq, `Part ${seq + 1} of this recording could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (!data) throw new ChunkError(seq, `Part ${seq + 1} of this recording is missing from the cache. Re-import the export to repair it.`)
  let json: string
  try {
    json = await inflateRaw(data)
  } catch {
    // Chromium reports a broken deflate stream as "Failed to fetch"; say what it means.
    throw new ChunkError(seq, `Part ${seq + 1} of this recording could not be decoded (its compressed data is damaged). Re-import the export to repair it.`)
  }
  try {
    return { byteLength: data.byteLength, events: parseChunkEvents(json) }
  } catch (error) {
    throw new ChunkError(seq, `Part ${seq + 1} of this recording could not be decoded (${error instanceof Error ? error.message : String(error)}).`)
  }
}

/**
 * A loader for one recording. `appOrigin` is where cached assets are served (`location.origin`); what `opening`
 * fetched is used once instead of new requests.
 */
export function createChunkLoader(
  api: DesktopApi,
  recordingId: RecordingId,
  appOrigin: string,
  opening: OpeningFetches | null = null
): ChunkLoader {
  const cache = new Map<number, Promise<ReplayEvent[]>>()
  const isolationByWindow = new Map<string, IsolationState>()
  const toAssetUrl = assetUrlFor(appOrigin)
  let bytes = 0
  const opened = new Map(opening?.chunks)
  let keyframeList: Promise<KeyframeInfo[]> | null = opening?.keyframes ?? null
  /** Chunk bytes fetched ahead (`prefetchBytes`), by seq. */
  const prefetched = new Map<number, Promise<Uint8Array | null>>()
  const keyframeCache = new Map<number, Promise<ReplayEvent[]>>()
  const keyframeBytes = new Map<number, Promise<Uint8Array | null>>()

  /** The decoded events of part `seq`, fetched once; a failed fetch may be retried (e.g. after the core recovers). */
  function once(
    decoded: Map<number, Promise<ReplayEvent[]>>,
    seq: number,
    fetch: () => Promise<ReplayEvent[]>
  ): Promise<ReplayEvent[]> {
    let pending = decoded.get(seq)
    if (!pending) {
      pending = fetch()
      decoded.set(seq, pending)
      pending.catch(() => decoded.delete(seq))
    }
    return pending
  }

  /** Bytes of part `seq` fetched ahead into `ahead` (taken once), else a request for them. */
  function takeOrFetch(
    ahead: Map<number, Promise<Uint8Array | null>>,
    seq: number,
    request: () => Promise<Uint8Array | null>
  ): Promise<Uint8Array | null> {
    const early = ahead.get(seq)
    ahead.delete(seq)
    return early ?? request()
  }

  function isolationFor(windowId: string): IsolationState {
    let state = isolationByWindow.get(windowId)
    if (!state) isolationByWindow.set(windowId, (state = createIsolationState()))
    return state
  }

  /** Fetches, inflates, parses and isolates a stored keyframe, with a performance mark after each step (bench:ui). */
  async function fetchKeyframe(keyframe: KeyframeInfo): Promise<ReplayEvent[]> {
    const failed = `The saved position before part ${keyframe.seq + 1} of this recording could not be read`
    let data: Uint8Array | null
    try {
      data = await takeOrFetch(keyframeBytes, keyframe.seq, () => api.invoke('recordings:get-keyframe', recordingId, keyframe.seq))
    } catch (error) {
      throw new ChunkError(keyframe.seq, `${failed}: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (!data) throw new ChunkError(keyframe.seq, `${failed}: it is missing from the cache.`)
    performance.mark('tapedeck:keyframe-fetched', { detail: { seq: keyframe.seq } })
    bytes += data.byteLength
    let events: ReplayEvent[]
    try {
      const json = await inflateRaw(data)
      performance.mark('tapedeck:keyframe-inflated', { detail: { seq: keyframe.seq } })
      events = parseChunkEvents(json)
    } catch {
      throw new ChunkError(keyframe.seq, `${failed}: its data is damaged.`)
    }
    isolateEvents(events, isolationFor(keyframe.windowId), appOrigin, toAssetUrl)
    // A seek builds its page from this keyframe: its stylesheets are rewritten while the chunks after it load.
    void prepareReplayStyles(events)
    performance.mark('tapedeck:keyframe-decoded', { detail: { seq: keyframe.seq } })
    return events
  }

  async function fetchChunk(chunk: SnapshotChunkInfo): Promise<ReplayEvent[]> {
    const seq = chunk.seq
    let decoding = opened.get(seq)
    opened.delete(seq)
    decoding ??= decodeChunk(seq, takeOrFetch(prefetched, seq, () => api.invoke('recordings:get-chunk', recordingId, seq)))
    const { byteLength, events, isolation } = await decoding
    bytes += byteLength
    if (!isolation) isolateEvents(events, isolationFor(chunk.windowId), appOrigin, toAssetUrl)
    // Made safe at the opening as the window's first chunk: the window goes on from that state (unless it started
    // elsewhere, from a deep link's keyframe).
    else if (!isolationByWindow.has(chunk.windowId)) isolationByWindow.set(chunk.windowId, isolation)
    performance.mark('tapedeck:chunk-decoded', { detail: { seq } })
    return events
  }

  return {
    load: (chunk) => once(cache, chunk.seq, () => fetchChunk(chunk)),
    bytesLoaded: () => bytes,
    listKeyframes() {
      keyframeList ??= listKeyframes(api, recordingId)
      return keyframeList
    },
    async prefetchBytes(part) {
      let pending: Promise<Uint8Array | null>
      if ('chunk' in part) {
        const seq = part.chunk.seq
        if (cache.has(seq) || opened.has(seq) || prefetched.has(seq)) return
        pending = api.invoke('recordings:get-chunk', recordingId, seq)
        prefetched.set(seq, pending)
      } else {
        const seq = part.keyframe.seq
        if (keyframeCache.has(seq) || keyframeBytes.has(seq)) return
        pending = api.invoke('recordings:get-keyframe', recordingId, seq)
        keyframeBytes.set(seq, pending)
      }
      await pending.catch(() => undefined)
    },
    loadKeyframe: (keyframe) => once(keyframeCache, keyframe.seq, () => fetchKeyframe(keyframe))
  }
}
