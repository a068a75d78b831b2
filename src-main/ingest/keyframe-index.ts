/**
 * Keyframes stored at import: the page as it is at a chunk boundary, so a seek into a long recording replays from
 * the nearest keyframe instead of from the window's only full snapshot (issue 3 item 8).
 *
 * A keyframe is `[Meta, FullSnapshot, ...state events]` (see keyframe-tree.ts) as a raw-deflate JSON array, like a
 * chunk. One is made only where it pays: before a chunk that does not start a page, once `KEYFRAME_EVERY_EVENTS`
 * events have passed since the last full snapshot or keyframe. The tree is only kept for such windows: it starts at
 * the first boundary that needs a keyframe, from the window's last full snapshot, and parses only the events that
 * change the page (mouse moves, clicks, console and custom events, about 80% of a long recording, are skipped).
 */
import { deflateRawSync } from 'node:zlib'
import { KeyframeTree, RrwebEvent, RrwebSource, type KeyframeEvent } from '@shared/keyframe-tree'

/** A stored keyframe: the page just before chunk `seq` (of window `windowId`), at `timestampMs`. */
export type PreparedKeyframe = {
  seq: number
  windowId: string
  timestampMs: number
  eventCount: number
  rawBytes: number
  data: Uint8Array
}

/**
 * Events between keyframes. A seek rebuilds the page (~150 ms for ~6k nodes) and replays at most this many events
 * (~20 µs each in the browser), so about 0.3 s of replay at most; each keyframe costs one serialised page.
 */
export const KEYFRAME_EVERY_EVENTS = 8_000

/** What the index needs of an event the builder holds: its JSON (as read) and its type and source. */
export type KeyframeSourceEntry = {
  ts: number
  text: string | Buffer
  info: { type: number; source: number }
}
/** What the index needs of a chunk. */
export type KeyframeSourceChunk = {
  seq: number
  windowId: string
  firstMs: number
  eventCount: number
  hasFullSnapshot: boolean
}

/** Sources that change what a tree or its state events hold; every other incremental is skipped unparsed. */
const PAGE_SOURCES = new Set<number>([
  RrwebSource.Mutation,
  RrwebSource.Scroll,
  RrwebSource.ViewportResize,
  RrwebSource.Input,
  RrwebSource.MediaInteraction,
  RrwebSource.StyleSheetRule,
  RrwebSource.Font,
  RrwebSource.StyleDeclaration,
  RrwebSource.Selection,
  RrwebSource.AdoptedStyleSheet,
  RrwebSource.CustomElement
])
const POINTER_SOURCES = new Set<number>([
  RrwebSource.MouseMove,
  RrwebSource.TouchMove,
  RrwebSource.Drag
])

function parse(entry: KeyframeSourceEntry): KeyframeEvent {
  return JSON.parse(
    typeof entry.text === 'string' ? entry.text : entry.text.toString('utf8')
  ) as KeyframeEvent
}

/**
 * The keyframes of one window: `entries` are its events in replay order, `chunks` its chunks in order (their event
 * counts partition `entries`). A window whose page cannot be followed (e.g. a mobile wireframe) gets none.
 */
export function buildWindowKeyframes(
  entries: readonly KeyframeSourceEntry[],
  chunks: readonly KeyframeSourceChunk[]
): PreparedKeyframe[] {
  const keyframes: PreparedKeyframe[] = []
  let tree: KeyframeTree | null = null
  /** Next entry the tree has not seen. */
  let applied = 0
  let lastMeta = -1
  let lastFull = -1
  let lastPointer = -1
  let since = 0
  let start = 0
  const catchUp = (to: number) => {
    const current = tree as KeyframeTree
    for (let i = applied; i < to; i++) {
      const entry = entries[i] as KeyframeSourceEntry
      const { type, source } = entry.info
      if (
        type === RrwebEvent.Incremental
          ? PAGE_SOURCES.has(source)
          : type === RrwebEvent.Meta || type === RrwebEvent.FullSnapshot
      ) {
        current.apply(parse(entry))
      }
    }
    applied = to
  }
  for (const chunk of chunks) {
    const first = entries[start]
    const startsPage = chunk.hasFullSnapshot || first?.info.type === RrwebEvent.Meta
    if (!startsPage && lastFull >= 0 && since >= KEYFRAME_EVERY_EVENTS) {
      if (!tree) {
        tree = new KeyframeTree()
        applied = lastMeta >= 0 && lastMeta < lastFull ? lastMeta : lastFull
      }
      catchUp(start)
      // The pointer's last position (the cursor drawn after the seek) is the one pointer event a keyframe keeps.
      if (lastPointer > lastFull) tree.apply(parse(entries[lastPointer] as KeyframeSourceEntry))
      const events = tree.keyframe(chunk.firstMs)
      if (!events) return keyframes
      const raw = Buffer.from(JSON.stringify(events))
      keyframes.push({
        seq: chunk.seq,
        windowId: chunk.windowId,
        timestampMs: chunk.firstMs,
        eventCount: events.length,
        rawBytes: raw.length,
        data: deflateRawSync(raw, { level: 1 })
      })
      since = 0
    }
    const end = start + chunk.eventCount
    for (let i = start; i < end; i++) {
      const info = (entries[i] as KeyframeSourceEntry).info
      if (info.type === RrwebEvent.Meta) lastMeta = i
      else if (info.type === RrwebEvent.FullSnapshot) {
        lastFull = i
        since = 0
        // A new page: the tree restarts from it when (if) the next keyframe is due.
        tree = null
      } else if (info.type === RrwebEvent.Incremental && POINTER_SOURCES.has(info.source))
        lastPointer = i
      since++
    }
    start = end
  }
  return keyframes
}

/**
 * Keyframes of every window. `windows` hold each window's events in the order its chunks were cut from them, and
 * `chunks` are all the recording's chunks (each window's in order). Failures only mean fewer keyframes.
 */
export function buildKeyframes(
  windows: readonly { id: string; entries: readonly KeyframeSourceEntry[] }[],
  chunks: readonly KeyframeSourceChunk[]
): PreparedKeyframe[] {
  const keyframes: PreparedKeyframe[] = []
  for (const window of windows) {
    const own = chunks.filter((c) => c.windowId === window.id)
    if (own.reduce((n, c) => n + c.eventCount, 0) < KEYFRAME_EVERY_EVENTS) continue
    try {
      keyframes.push(...buildWindowKeyframes(window.entries, own))
    } catch {
      // A page the tree cannot follow (malformed events): that window is seeked the old way.
    }
  }
  return keyframes
}
