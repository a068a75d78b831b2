import { deflateRawSync } from 'node:zlib'
import { buildKeyframes, type PreparedKeyframe } from './keyframe-index'
import type { ExceptionRow, PersonRow } from './rows'
import type { SimpleEvent } from './simple-event-reader'
import {
  describeEvent,
  describeSimpleEvent,
  EventType,
  normaliseSnapshotEvent,
  type DropReason,
  type EventInfo,
  type NetworkSummary,
  type RawEvent
} from './snapshot-event'

/** Where a recording's id came from, from most to least trustworthy. */
export type RecordingIdSource = 'export' | 'file-name' | 'recording-event' | 'content-hash'

export type PreparedChunk = {
  seq: number
  windowId: string
  firstMs: number
  lastMs: number
  eventCount: number
  hasFullSnapshot: boolean
  rawBytes: number
  data: Uint8Array
}

export type PreparedItem = {
  timestampMs: number
  windowId: string | null
  kind: string
  level: string | null
  label: string
  detail: string | null
}

/** A recording ready for the store: derived columns, chunks and timeline, nothing left to parse. */
export type PreparedRecording = {
  id: string
  idSource: RecordingIdSource
  format: string
  distinctId: string | null
  person: PersonRow | null
  startMs: number
  endMs: number
  durationMs: number
  activeMs: number
  clickCount: number
  keypressCount: number
  mouseActivityCount: number
  consoleLogCount: number
  consoleWarnCount: number
  consoleErrorCount: number
  startUrl: string | null
  urls: string[]
  windowIds: string[]
  eventCount: number
  rawBytes: number
  hasFullSnapshot: boolean
  brokenReason: string | null
  snapshotSource: 'web' | 'mobile' | 'unknown'
  hasNetwork: boolean
  customTags: string[]
  consoleText: string
  windows: { windowId: string; index: number; firstMs: number; lastMs: number; eventCount: number; startUrl: string | null }[]
  segments: { windowId: string; startMs: number; endMs: number; isActive: boolean }[]
  items: PreparedItem[]
  exceptions: ExceptionRow[]
  chunks: PreparedChunk[]
  /** Pages rebuilt at chunk boundaries of long windows, so a seek does not replay from the full snapshot. */
  keyframes?: PreparedKeyframe[]
  assetUrls: string[]
  /** Exact duplicates removed (the SDK resends on retries; PostHog's player drops them too). */
  duplicateCount: number
  warnings: string[]
}

/**
 * `text` is the event's JSON: the bytes as read when they were compact (kept off the JavaScript heap, copied into
 * the chunk as they are), else a string of `JSON.stringify`.
 */
type Entry = { ts: number; text: string | Buffer; info: EventInfo; order: number }

type WindowAccumulator = { id: string; firstOrder: number; entries: Entry[]; sorted: boolean; lastTs: number }

/** Gap between two active events after which the time between them counts as inactive (PostHog uses 5 s). */
export const ACTIVITY_GAP_MS = 5000
/** A chunk is closed once its JSON passes this size (a Meta event also starts a new chunk). */
export const CHUNK_TARGET_BYTES = 512 * 1024
const MAX_ITEMS = 20_000
const MAX_CONSOLE_FTS = 64 * 1024
const MAX_NETWORK_ITEMS_PER_EVENT = 200

export type RecordingBuilderOptions = {
  id: string | null
  idSource: RecordingIdSource
  format: string
  /** Collects the URLs of images, stylesheets and fonts an event references (the asset cache). */
  collectAssetUrls?: (event: unknown, add: (url: string) => void) => void
}

/**
 * Accumulates one recording's rrweb events, in any order and from any number of windows, and turns them into a
 * `PreparedRecording`: sorted, deduplicated, Meta events synthesised where a full snapshot lacks one, activity
 * segments, counts, URLs, console entries and chunks compressed with raw deflate level 1.
 *
 * Memory: the events' JSON (as read, or re-serialised) and a few facts per event, nothing else of the parsed objects.
 */
export class RecordingBuilder {
  id: string | null
  idSource: RecordingIdSource
  format: string
  person: PersonRow | null = null
  distinctId: string | null = null
  readonly warnings: string[] = []
  /** Session ids named by the recording's own `$session_id_change` events (for exports without an id). */
  readonly sessionIdHints: string[] = []
  private readonly windows = new Map<string, WindowAccumulator>()
  private readonly dropped = new Map<DropReason, number>()
  private readonly assetUrls = new Set<string>()
  private readonly addAssetUrl = (url: string) => void this.assetUrls.add(url)
  private readonly collectAssetUrls: RecordingBuilderOptions['collectAssetUrls']
  private order = 0
  private rawBytes = 0

  constructor(options: RecordingBuilderOptions) {
    this.id = options.id
    this.idSource = options.idSource
    this.format = options.format
    this.collectAssetUrls = options.collectAssetUrls
  }

  get eventCount(): number {
    let count = 0
    for (const window of this.windows.values()) count += window.entries.length
    return count
  }

  /**
   * Adds one event.
   *
   * `windowId` may be a string or number (PostHog's UI exports number windows 1, 2…); when absent, the event's own
   * `windowId`/`window_id` is used, else `"default"`. `text` is the event's JSON as read (a string, or the bytes),
   * reused when compact.
   */
  add(value: unknown, windowId?: unknown, text?: string | Buffer): void {
    const normalised = normaliseSnapshotEvent(value)
    if ('dropped' in normalised) {
      this.dropped.set(normalised.dropped, (this.dropped.get(normalised.dropped) ?? 0) + 1)
      return
    }
    const { event, changed } = normalised
    const windowKey = normaliseWindowId(windowId ?? event.windowId ?? event.window_id)
    let json = text
    let info: EventInfo
    try {
      if (json === undefined || changed || json.includes(NEWLINE)) json = JSON.stringify(event)
      info = describeEvent(event)
      if (this.collectAssetUrls && event.type >= EventType.FullSnapshot && event.type <= EventType.Meta) {
        this.collectAssetUrls(event, this.addAssetUrl)
      }
    } catch (error) {
      // JSON.stringify recurses: an event nested thousands of levels deep (no real page is) overflows the stack.
      if (!(error instanceof RangeError && /call stack/i.test(error.message))) throw error
      this.dropped.set('nested too deeply to read', (this.dropped.get('nested too deeply to read') ?? 0) + 1)
      return
    }
    if (info.customTag === '$session_id_change') {
      const payload = (event.data as { payload?: { sessionId?: unknown } }).payload
      if (typeof payload?.sessionId === 'string') this.sessionIdHints.push(payload.sessionId)
    }
    this.push(windowKey, event.timestamp, json, info)
  }

  /**
   * Adds an incremental event that `readSimpleEvent` read from `raw` (its JSON as read, kept as it is), exactly as
   * `add` would add the parsed event: such an event needs no normalising and references no assets.
   */
  addSimple(event: SimpleEvent, windowId: unknown, raw: Buffer): void {
    const windowKey = normaliseWindowId(windowId ?? event.windowId ?? event.windowIdSnake)
    this.push(windowKey, event.timestamp, raw, describeSimpleEvent(event))
  }

  private push(windowKey: string, ts: number, json: string | Buffer, info: EventInfo): void {
    let window = this.windows.get(windowKey)
    if (!window) {
      window = { id: windowKey, firstOrder: this.order, entries: [], sorted: true, lastTs: -Infinity }
      this.windows.set(windowKey, window)
    }
    if (ts < window.lastTs) window.sorted = false
    else window.lastTs = ts
    window.entries.push({ ts, text: json, info, order: this.order++ })
    this.rawBytes += json.length
  }

  /** Finishes the recording. Throws if it has no usable event at all. */
  finish(): PreparedRecording {
    if (this.id === null) throw new Error('RecordingBuilder.finish called before the recording has an id')
    for (const [reason, count] of this.dropped) this.warnings.push(`${count} event(s) dropped: ${reason}`)
    const windows = [...this.windows.values()].filter((w) => w.entries.length > 0)
    windows.sort((a, b) => a.entries[0].ts - b.entries[0].ts || a.firstOrder - b.firstOrder)
    let duplicates = 0
    for (const window of windows) {
      if (!window.sorted) window.entries.sort((a, b) => a.ts - b.ts || a.order - b.order)
      duplicates += dedupe(window)
      synthesiseMissingMeta(window)
    }
    if (duplicates > 0) this.warnings.push(`${duplicates} duplicate event(s) removed`)

    const prepared = this.derive(windows)
    prepared.chunks = buildChunks(windows)
    prepared.keyframes = buildKeyframes(windows, prepared.chunks)
    prepared.duplicateCount = duplicates
    return prepared
  }

  private derive(windows: WindowAccumulator[]): PreparedRecording {
    const tally = new Tally(this.id!)
    let eventCount = 0
    let startMs = 0
    let endMs = 0
    if (windows.length === 1) {
      // One window's entries are already in time order (sorted, Meta entries placed before their snapshot).
      const entries = windows[0].entries
      const windowId = windows[0].id
      for (let i = 0; i < entries.length; i++) tally.visit(entries[i].info, entries[i].ts, windowId)
      eventCount = entries.length
      if (eventCount > 0) {
        startMs = entries[0].ts
        endMs = entries[eventCount - 1].ts
      }
    } else {
      const all: { entry: Entry; windowId: string }[] = []
      for (const window of windows) for (const entry of window.entries) all.push({ entry, windowId: window.id })
      all.sort((a, b) => a.entry.ts - b.entry.ts || a.entry.order - b.entry.order)
      for (let i = 0; i < all.length; i++) tally.visit(all[i].entry.info, all[i].entry.ts, all[i].windowId)
      eventCount = all.length
      if (eventCount > 0) {
        startMs = all[0].entry.ts
        endMs = all[eventCount - 1].entry.ts
      }
    }
    return this.summarise(windows, tally, eventCount, startMs, endMs)
  }

  private summarise(
    windows: WindowAccumulator[],
    tally: Tally,
    eventCount: number,
    startMs: number,
    endMs: number
  ): PreparedRecording {
    const { urls, items, isMobile, hasFullSnapshot } = tally
    const segments = windows.flatMap((window) => activitySegments(window))
    const activeMs = unionLength(segments.filter((s) => s.isActive))
    let brokenReason: string | null = null
    if (eventCount === 0) brokenReason = 'the recording has no valid rrweb events'
    else if (isMobile) brokenReason = 'mobile recording (wireframes): it cannot be replayed in the web player'
    else if (!hasFullSnapshot) brokenReason = 'no full snapshot: the page was never captured, so it cannot be replayed'
    else if (eventCount < 2) brokenReason = 'only one event: nothing to replay'

    items.sort((a, b) => a.timestampMs - b.timestampMs)
    return {
      id: this.id!,
      idSource: this.idSource,
      format: this.format,
      distinctId: this.distinctId,
      person: this.person,
      startMs,
      endMs,
      durationMs: endMs - startMs,
      activeMs,
      clickCount: tally.clickCount,
      keypressCount: tally.keypressCount,
      mouseActivityCount: tally.mouseActivityCount,
      consoleLogCount: tally.consoleLog,
      consoleWarnCount: tally.consoleWarn,
      consoleErrorCount: tally.consoleError,
      startUrl: urls[0] ?? null,
      urls,
      windowIds: windows.map((w) => w.id),
      eventCount,
      rawBytes: this.rawBytes,
      hasFullSnapshot,
      brokenReason,
      snapshotSource: isMobile ? 'mobile' : 'web',
      hasNetwork: tally.hasNetwork,
      customTags: [...tally.tags],
      consoleText: tally.consoleFts,
      windows: windows.map((window, index) => ({
        windowId: window.id,
        index: index + 1,
        firstMs: window.entries[0].ts,
        lastMs: window.entries[window.entries.length - 1].ts,
        eventCount: window.entries.length,
        startUrl: window.entries.find((e) => e.info.href !== undefined)?.info.href ?? null
      })),
      segments,
      items,
      exceptions: tally.exceptions,
      chunks: [],
      assetUrls: [...this.assetUrls],
      duplicateCount: 0,
      warnings: this.warnings
    }
  }
}

/**
 * Counts, URLs, console entries and timeline items of a recording, gathered event by event in time order.
 *
 * A class of small methods rather than one loop with closures: the loop runs for every event and is optimised by
 * V8 on its own; rare branches (console, network, custom events) stay out of the compiled loop.
 */
class Tally {
  clickCount = 0
  keypressCount = 0
  mouseActivityCount = 0
  consoleLog = 0
  consoleWarn = 0
  consoleError = 0
  hasFullSnapshot = false
  isMobile = false
  hasNetwork = false
  consoleFts = ''
  readonly urls: string[] = []
  readonly tags = new Set<string>()
  readonly items: PreparedItem[] = []
  readonly exceptions: ExceptionRow[] = []
  private readonly lastInputAt = new Map<string, number>()

  constructor(private readonly sessionId: string) {}

  visit(info: EventInfo, ts: number, windowId: string): void {
    if (info.type === EventType.FullSnapshot) {
      this.hasFullSnapshot = true
      if (info.isMobile) this.isMobile = true
    }
    if (info.isClick) this.click(info, ts, windowId)
    if (info.isKeypress) this.keypress(ts, windowId)
    if (info.isMouseActivity) this.mouseActivityCount++
    if (info.type === EventType.Meta && info.href) this.addUrl(info.href, ts, windowId)
    if (info.customTag !== undefined) this.custom(info, info.customTag, ts, windowId)
    if (info.consoleLevel !== undefined) this.console(info, info.consoleLevel, ts, windowId)
    if (info.network) this.network(info.network, ts, windowId)
  }

  private addItem(item: PreparedItem): void {
    if (this.items.length < MAX_ITEMS) this.items.push(item)
  }

  private addUrl(href: string, ts: number, windowId: string): void {
    if (this.urls.at(-1) === href) return
    this.urls.push(href)
    this.addItem({ timestampMs: ts, windowId, kind: 'navigation', level: null, label: href, detail: null })
  }

  private click(info: EventInfo, ts: number, windowId: string): void {
    this.clickCount++
    const detail = info.clickTargetId === undefined ? null : `node ${info.clickTargetId}`
    this.addItem({ timestampMs: ts, windowId, kind: 'click', level: null, label: 'Click', detail })
  }

  private keypress(ts: number, windowId: string): void {
    this.keypressCount++
    const last = this.lastInputAt.get(windowId) ?? -Infinity
    if (ts - last > 1000) this.addItem({ timestampMs: ts, windowId, kind: 'keypress', level: null, label: 'Typing', detail: null })
    this.lastInputAt.set(windowId, ts)
  }

  private custom(info: EventInfo, tag: string, ts: number, windowId: string): void {
    this.tags.add(tag)
    if ((tag === '$url_changed' || tag === '$pageview') && info.href) this.addUrl(info.href, ts, windowId)
    else this.addItem({ timestampMs: ts, windowId, kind: 'custom', level: null, label: tag, detail: null })
  }

  private console(info: EventInfo, level: string, ts: number, windowId: string): void {
    if (level === 'error' || level === 'assert') this.consoleError++
    else if (level === 'warn') this.consoleWarn++
    else this.consoleLog++
    const text = info.consoleText ?? ''
    this.addItem({ timestampMs: ts, windowId, kind: 'console', level, label: text, detail: info.consoleTrace?.join('\n') ?? null })
    if (this.consoleFts.length < MAX_CONSOLE_FTS) this.consoleFts += text.slice(0, 500) + '\n'
    if (level === 'error' || level === 'assert') {
      this.exceptions.push(consoleException(this.sessionId, windowId, ts, text, info.consoleTrace))
    }
  }

  private network(requests: NetworkSummary[], ts: number, windowId: string): void {
    this.hasNetwork = true
    for (const request of requests.slice(0, MAX_NETWORK_ITEMS_PER_EVENT)) {
      const failed = request.status !== null && (request.status >= 400 || request.status === 0)
      this.addItem({
        timestampMs: ts,
        windowId,
        kind: 'network',
        level: request.status === null ? null : failed ? 'error' : String(Math.floor(request.status / 100)) + 'xx',
        label: `${request.method ?? 'GET'} ${request.name}`,
        detail: [request.status === null ? null : `status ${request.status}`, request.durationMs === null ? null : `${request.durationMs} ms`].filter(Boolean).join(', ') || null
      })
    }
  }
}

/** Window ids are strings in the cache whatever the export used (UUIDs, or PostHog's 1, 2, 3…). */
export function normaliseWindowId(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return 'default'
}

const NEWLINE = '\n'

function sameText(a: string | Buffer, b: string | Buffer): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b
  return asBuffer(a).equals(asBuffer(b))
}

const asBuffer = (text: string | Buffer): Buffer => (typeof text === 'string' ? Buffer.from(text) : text)

/** Removes events identical to an earlier one with the same timestamp; returns how many. */
function dedupe(window: WindowAccumulator): number {
  const entries = window.entries
  let removed = 0
  let out = 0
  let runStart = 0
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]
    if (out > 0 && entries[out - 1].ts !== entry.ts) runStart = out
    let duplicate = false
    for (let k = runStart; k < out; k++) {
      if (sameText(entries[k].text, entry.text)) {
        duplicate = true
        break
      }
    }
    if (duplicate) {
      removed++
      continue
    }
    entries[out++] = entry
  }
  entries.length = out
  return removed
}

/**
 * rrweb needs a Meta event (page size and URL) before every full snapshot; PostHog synthesises one when it is
 * missing, from the last known URL and viewport (patch-meta-event.ts). So do we.
 */
function synthesiseMissingMeta(window: WindowAccumulator): void {
  const entries = window.entries
  let lastHref = ''
  let width = 1280
  let height = 800
  let metaSinceFull = false
  const out: Entry[] = []
  for (const entry of entries) {
    const info = entry.info
    if (info.width !== undefined && info.height !== undefined) {
      width = info.width
      height = info.height
    }
    if (info.href !== undefined) lastHref = info.href
    if (info.type === EventType.Meta) metaSinceFull = true
    if (info.type === EventType.FullSnapshot) {
      if (!metaSinceFull) {
        const meta: RawEvent = { type: EventType.Meta, timestamp: entry.ts, data: { href: lastHref, width, height } }
        out.push({ ts: entry.ts, text: JSON.stringify(meta), info: describeEvent(meta), order: entry.order - 0.5 })
      }
      metaSinceFull = false
    }
    out.push(entry)
  }
  if (out.length !== entries.length) window.entries = out
}

function activitySegments(window: WindowAccumulator): PreparedRecording['segments'] {
  const entries = window.entries
  if (entries.length === 0) return []
  const segments: PreparedRecording['segments'] = []
  const first = entries[0].ts
  const last = entries[entries.length - 1].ts
  let activeStart = -1
  let activeEnd = -1
  let cursor = first
  const closeActive = () => {
    if (activeStart < 0) return
    if (activeStart > cursor) segments.push({ windowId: window.id, startMs: cursor, endMs: activeStart, isActive: false })
    segments.push({ windowId: window.id, startMs: activeStart, endMs: activeEnd, isActive: true })
    cursor = activeEnd
    activeStart = -1
  }
  for (const entry of entries) {
    if (!entry.info.isActive) continue
    if (activeStart >= 0 && entry.ts - activeEnd > ACTIVITY_GAP_MS) closeActive()
    if (activeStart < 0) activeStart = entry.ts
    activeEnd = entry.ts
  }
  closeActive()
  if (cursor < last) segments.push({ windowId: window.id, startMs: cursor, endMs: last, isActive: false })
  if (segments.length === 0) segments.push({ windowId: window.id, startMs: first, endMs: last, isActive: false })
  return segments
}

/** Total length covered by a set of possibly overlapping spans (active time across windows counts once). */
function unionLength(spans: { startMs: number; endMs: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs)
  let total = 0
  let start = -Infinity
  let end = -Infinity
  for (const span of sorted) {
    if (span.startMs > end) {
      if (end > start) total += end - start
      start = span.startMs
      end = span.endMs
    } else if (span.endMs > end) end = span.endMs
  }
  if (end > start) total += end - start
  return total
}

/**
 * One growing buffer per thread that every chunk's JSON is encoded into before compression: encoding into memory
 * already touched is several times faster on first-touch-slow machines than a fresh `Buffer.from` per chunk, and
 * skips building the joined string.
 */
let scratch = Buffer.allocUnsafeSlow(4 * CHUNK_TARGET_BYTES)
const MAX_SCRATCH_BYTES = 16 * 1024 * 1024

function encodeChunk(entries: Entry[], from: number, to: number): Buffer {
  let capacity = 2
  for (let i = from; i < to; i++) {
    const text = entries[i].text
    capacity += (typeof text === 'string' ? 3 : 1) * text.length + 1
  }
  // A chunk with a huge full snapshot gets a buffer of its own rather than keeping one that size for good.
  let target = scratch
  if (capacity > MAX_SCRATCH_BYTES) target = Buffer.allocUnsafeSlow(capacity)
  else if (scratch.length < capacity) target = scratch = Buffer.allocUnsafeSlow(Math.max(capacity, 2 * scratch.length))
  let offset = 0
  target[offset++] = 0x5b // [
  for (let i = from; i < to; i++) {
    if (i > from) target[offset++] = 0x2c // ,
    const text = entries[i].text
    if (typeof text === 'string') offset += target.write(text, offset)
    else {
      // TypedArray#set: Buffer#copy costs about a microsecond of argument checks per call, per event here.
      target.set(text, offset)
      offset += text.length
    }
  }
  target[offset++] = 0x5d // ]
  return target.subarray(0, offset)
}

/**
 * Cuts each window's entries into chunks. The loop over entries only finds where chunks end; encoding and
 * compression are in `compressChunk` (a loop that also inlined zlib's JavaScript was costly for V8 to optimise).
 */
function buildChunks(windows: WindowAccumulator[]): PreparedChunk[] {
  const chunks: PreparedChunk[] = []
  for (const window of windows) {
    const entries = window.entries
    let start = 0
    let bytes = 0
    for (let i = 0; i < entries.length; i++) {
      const type = entries[i].info.type
      if (i > start) {
        const startsPage = type === EventType.Meta
        const followsMeta = type === EventType.FullSnapshot && entries[i - 1].info.type === EventType.Meta
        if (startsPage || (bytes >= CHUNK_TARGET_BYTES && !followsMeta)) {
          chunks.push(compressChunk(window.id, entries, start, i, chunks.length))
          start = i
          bytes = 0
        }
      }
      bytes += entries[i].text.length
    }
    if (start < entries.length) chunks.push(compressChunk(window.id, entries, start, entries.length, chunks.length))
  }
  return chunks
}

/** One chunk: entries `from` to `to` (exclusive) of a window, as a JSON array compressed with raw deflate level 1. */
function compressChunk(windowId: string, entries: Entry[], from: number, to: number, seq: number): PreparedChunk {
  const raw = encodeChunk(entries, from, to)
  let hasFullSnapshot = false
  for (let i = from; i < to; i++) if (entries[i].info.type === EventType.FullSnapshot) hasFullSnapshot = true
  return {
    seq,
    windowId,
    firstMs: entries[from].ts,
    lastMs: entries[to - 1].ts,
    eventCount: to - from,
    hasFullSnapshot,
    rawBytes: raw.length,
    data: deflateRawSync(raw, { level: 1 })
  }
}

function consoleException(
  sessionId: string,
  windowId: string,
  ts: number,
  text: string,
  trace: string[] | undefined
): ExceptionRow {
  const match = /^(?:Uncaught\s+)?([A-Z][A-Za-z]*(?:Error|Exception)):\s*(.*)$/s.exec(text)
  return {
    sessionId,
    windowId,
    timestampMs: ts,
    type: match ? match[1] : 'console.error',
    message: (match ? match[2] : text).slice(0, 2000),
    level: 'error',
    handled: null,
    frames: JSON.stringify(parseTrace(trace ?? [])),
    stackText: trace && trace.length > 0 ? trace.join('\n') : null,
    source: 'console',
    eventUuid: null,
    fingerprint: null,
    issueId: null
  }
}

/** Console plugin traces look like `"fn@https://x/app.js:10:5"`, `"at fn (file:1:2)"` or `":5:13"`. */
function parseTrace(trace: string[]): { function: string | null; filename: string | null; lineno: number | null; colno: number | null; inApp: boolean | null }[] {
  return trace.slice(0, 20).map((line) => {
    const match = /^\s*(?:at\s+)?(?:(.*?)\s*[@(])?\s*(.*?):(\d+):(\d+)\)?\s*$/.exec(line)
    if (!match) return { function: line, filename: null, lineno: null, colno: null, inApp: null }
    return {
      function: match[1] || null,
      filename: match[2] || null,
      lineno: Number(match[3]),
      colno: Number(match[4]),
      inApp: null
    }
  })
}
