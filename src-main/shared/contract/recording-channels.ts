import type { RecordingDetail, RecordingId, RecordingPage, RecordingPlayback, RecordingQuery, RecordingTimeline } from '../domain'

/** A saved set of list filters. */
export type SavedView = { id: number; name: string; query: RecordingQuery; createdAtMs: number }

/** A keyframe stored at import: the page just before chunk `seq` (of window `windowId`), at `timestampMs`. */
export type KeyframeInfo = { seq: number; windowId: string; timestampMs: number; byteLength: number }

/** Requests of the recording list and the player. */
export type RecordingChannels = {
  /** A page; its `total` may stop at 1,000 (`totalIsExact` false): then `recordings:count` has the exact number. */
  'recordings:search': (query: RecordingQuery) => RecordingPage
  /** How many recordings match `query` (its limit, offset and sort are ignored). */
  'recordings:count': (query: RecordingQuery) => number
  /** Everything but the snapshots; `null` when the recording is not in the cache. */
  'recordings:get': (id: RecordingId) => RecordingDetail | null
  /**
   * `recordings:get` in two parts, for the player: what it draws the first frame from (small), and the exceptions
   * and inspector timeline (megabytes for a long recording), asked for once the first frame is painted (at once when
   * the player opens at the first exception).
   */
  'recordings:get-playback': (id: RecordingId) => RecordingPlayback | null
  'recordings:get-timeline': (id: RecordingId) => RecordingTimeline | null
  /**
   * One stored chunk: the window's rrweb events as a JSON array, compressed with raw deflate.
   *
   * Bytes, not objects: the renderer inflates (DecompressionStream 'deflate-raw') and parses, which is several
   * times cheaper than structured-cloning event objects. `null` when the chunk does not exist.
   */
  'recordings:get-chunk': (id: RecordingId, seq: number) => Uint8Array | null
  'recordings:mark-viewed': (id: RecordingId, viewed: boolean) => void
  /** The keyframes stored for a recording's long windows (none for recordings imported before they existed). */
  'recordings:get-keyframes': (id: RecordingId) => KeyframeInfo[]
  /**
   * One stored keyframe: `[Meta, FullSnapshot, ...state events]` as a raw-deflate JSON array (like a chunk), to
   * replay chunk `seq` and after from. `null` when there is none.
   */
  'recordings:get-keyframe': (id: RecordingId, seq: number) => Uint8Array | null
  'views:list': () => SavedView[]
  'views:save': (name: string, query: RecordingQuery) => SavedView
  'views:delete': (id: number) => void
}

export const RECORDING_CHANNELS = {
  'recordings:search': true,
  'recordings:count': true,
  'recordings:get': true,
  'recordings:get-playback': true,
  'recordings:get-timeline': true,
  'recordings:get-chunk': true,
  'recordings:mark-viewed': true,
  'recordings:get-keyframes': true,
  'recordings:get-keyframe': true,
  'views:list': true,
  'views:save': true,
  'views:delete': true
} as const satisfies Record<keyof RecordingChannels, true>
