/**
 * Pure timeline logic of the player: which chunks a seek needs, inactive spans, the active window, markers, the
 * inspector's rows and the exception at the playhead. Times are epoch ms unless named `…OffsetMs` (ms since the
 * recording's start).
 */
import type {
  ActivitySegment,
  RecordingDetail,
  RecordingException,
  RecordingWindow,
  SnapshotChunkInfo,
  TimelineItemKind
} from '@shared/domain'

/** The chunks of each window, in playback order (by first timestamp, then seq). */
export function groupChunksByWindow(chunks: readonly SnapshotChunkInfo[]): Map<string, SnapshotChunkInfo[]> {
  const byWindow = new Map<string, SnapshotChunkInfo[]>()
  for (const chunk of chunks) {
    let list = byWindow.get(chunk.windowId)
    if (!list) byWindow.set(chunk.windowId, (list = []))
    list.push(chunk)
  }
  for (const list of byWindow.values()) list.sort((a, b) => a.firstMs - b.firstMs || a.seq - b.seq)
  return byWindow
}

/**
 * The keyframe for a seek: the last chunk with a full snapshot starting at or before `targetMs`.
 *
 * When the target is before the window's first full snapshot, that first one (playback starts there). -1 when the
 * window has no full snapshot at all (nothing can be drawn).
 */
export function findKeyframeIndex(chunks: readonly SnapshotChunkInfo[], targetMs: number): number {
  let found = -1
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i] as SnapshotChunkInfo
    if (!chunk.hasFullSnapshot) continue
    if (chunk.firstMs <= targetMs || found === -1) found = i
    if (chunk.firstMs > targetMs) break
  }
  return found
}

/** The last chunk starting at or before `targetMs` (0 when the target is before them all). */
export function findChunkIndexAt(chunks: readonly SnapshotChunkInfo[], targetMs: number): number {
  let lo = 0
  let hi = chunks.length - 1
  let found = 0
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((chunks[mid] as SnapshotChunkInfo).firstMs <= targetMs) {
      found = mid
      lo = mid + 1
    } else {
      hi = mid - 1
    }
  }
  return found
}

export type Span = { startMs: number; endMs: number }

/**
 * Inactive spans of the whole recording: the gaps no window's active segment covers, at least `minGapMs` long.
 *
 * Spans are clipped to `[startMs, endMs]` and sorted.
 */
export function findInactiveSpans(
  segments: readonly ActivitySegment[],
  startMs: number,
  endMs: number,
  minGapMs = 2000
): Span[] {
  const active = segments
    .filter((s) => s.isActive && s.endMs > s.startMs)
    .map((s) => ({ startMs: Math.max(startMs, s.startMs), endMs: Math.min(endMs, s.endMs) }))
    .filter((s) => s.endMs > s.startMs)
    .sort((a, b) => a.startMs - b.startMs)
  const spans: Span[] = []
  let cursor = startMs
  for (const segment of active) {
    if (segment.startMs - cursor >= minGapMs) spans.push({ startMs: cursor, endMs: segment.startMs })
    cursor = Math.max(cursor, segment.endMs)
  }
  if (endMs - cursor >= minGapMs) spans.push({ startMs: cursor, endMs })
  return spans
}

/** Where skipping inactivity jumps from `timeMs`: the end of the span it is in, or null when it is active. */
export function findSkipTarget(spans: readonly Span[], timeMs: number, leadMs = 250): number | null {
  for (const span of spans) {
    if (span.startMs > timeMs) return null
    if (timeMs >= span.startMs && timeMs < span.endMs - leadMs) return span.endMs - leadMs
  }
  return null
}

/**
 * The window to show at `timeMs`: the one whose active segment covering the time started last; else the one with
 * the most recent activity before it; else the earliest window that has started.
 */
export function findActiveWindow(
  windows: readonly RecordingWindow[],
  segments: readonly ActivitySegment[],
  timeMs: number
): string | null {
  if (windows.length === 0) return null
  if (windows.length === 1) return (windows[0] as RecordingWindow).windowId
  let covering: ActivitySegment | null = null
  let latestBefore: ActivitySegment | null = null
  for (const segment of segments) {
    if (!segment.isActive) continue
    if (segment.startMs <= timeMs && timeMs < segment.endMs) {
      if (!covering || segment.startMs > covering.startMs) covering = segment
    } else if (segment.endMs <= timeMs) {
      if (!latestBefore || segment.endMs > latestBefore.endMs) latestBefore = segment
    }
  }
  const chosen = covering ?? latestBefore
  if (chosen && windows.some((w) => w.windowId === chosen.windowId)) return chosen.windowId
  const started = [...windows].sort((a, b) => a.firstMs - b.firstMs).filter((w) => w.firstMs <= timeMs)
  return (started[started.length - 1] ?? (windows[0] as RecordingWindow)).windowId
}

/** The exceptions in time order (ties keep `$exception` events before console errors). */
export function sortExceptions(exceptions: readonly RecordingException[]): RecordingException[] {
  const rank = { event: 0, custom: 1, console: 2 } as const
  return [...exceptions].sort((a, b) => a.timestampMs - b.timestampMs || rank[a.source] - rank[b.source] || a.id - b.id)
}

/**
 * The exceptions worth showing one by one: console errors that merely echo an `$exception` (the console plugin logs
 * an uncaught error a few ms before PostHog captures it) are dropped. Input and output are in time order.
 */
export function dedupeExceptions(sorted: readonly RecordingException[], windowMs = 1000): RecordingException[] {
  const events = sorted.filter((e) => e.source !== 'console')
  return sorted.filter((exception) => {
    if (exception.source !== 'console') return true
    const message = exception.message?.trim() ?? ''
    return !events.some((event) => {
      if (Math.abs(event.timestampMs - exception.timestampMs) > windowMs) return false
      const eventMessage = event.message?.trim() ?? ''
      if (!message || !eventMessage) return event.type !== null && event.type === exception.type
      return message.includes(eventMessage) || eventMessage.includes(message)
    })
  })
}

/**
 * The exception the overlay shows at `timeMs`: the latest one at or before it.
 *
 * When an exception and the console error it caused land within `groupMs` of each other, the `$exception` wins: it
 * carries the type and the stack.
 */
export function findExceptionAt(
  sorted: readonly RecordingException[],
  timeMs: number,
  groupMs = 1500
): RecordingException | null {
  let index = -1
  for (let i = 0; i < sorted.length; i++) {
    if ((sorted[i] as RecordingException).timestampMs <= timeMs) index = i
    else break
  }
  if (index < 0) return null
  const latest = sorted[index] as RecordingException
  if (latest.source === 'event') return latest
  for (let i = index; i >= 0; i--) {
    const candidate = sorted[i] as RecordingException
    if (latest.timestampMs - candidate.timestampMs > groupMs) break
    if (candidate.source === 'event') return candidate
  }
  return latest
}

/** The first exception after `timeMs` ("next exception"). */
export function findNextException(sorted: readonly RecordingException[], timeMs: number): RecordingException | null {
  return sorted.find((e) => e.timestampMs > timeMs) ?? null
}

/**
 * "Previous exception": the one before the exception just reached (within `justReachedMs`), else the latest one at
 * or before `timeMs`. Index-based, so exceptions a few ms apart (rage clicks) are each visited.
 */
export function findPreviousException(
  sorted: readonly RecordingException[],
  timeMs: number,
  justReachedMs = 1000
): RecordingException | null {
  let index = -1
  for (let i = 0; i < sorted.length; i++) {
    if ((sorted[i] as RecordingException).timestampMs <= timeMs) index = i
    else break
  }
  if (index < 0) return null
  const latest = sorted[index] as RecordingException
  if (timeMs - latest.timestampMs <= justReachedMs) return sorted[index - 1] ?? null
  return latest
}

export type MarkerKind = 'exception' | 'console-error' | 'navigation' | 'click' | 'custom'

export type Marker = { offsetMs: number; kind: MarkerKind; label: string }

/**
 * Seek-bar markers: every exception, console errors, page navigations, clicks and custom events.
 *
 * `exceptions` defaults to the detail's; the player passes them deduplicated.
 */
export function buildMarkers(detail: RecordingDetail, exceptions: readonly RecordingException[] = detail.exceptions): Marker[] {
  const startMs = detail.summary.startedAtMs
  const markers: Marker[] = []
  for (const item of detail.items) {
    let kind: MarkerKind | null = null
    if (item.kind === 'navigation') kind = 'navigation'
    else if (item.kind === 'click') kind = 'click'
    else if (item.kind === 'custom') kind = 'custom'
    else if (item.kind === 'console' && item.level === 'error') kind = 'console-error'
    if (kind) markers.push({ offsetMs: item.timestampMs - startMs, kind, label: item.label })
  }
  for (const exception of exceptions) {
    markers.push({
      offsetMs: exception.timestampMs - startMs,
      kind: exception.source === 'console' ? 'console-error' : 'exception',
      label: describeException(exception)
    })
  }
  const order: Record<MarkerKind, number> = { click: 0, navigation: 1, custom: 2, 'console-error': 3, exception: 4 }
  return markers.sort((a, b) => order[a.kind] - order[b.kind] || a.offsetMs - b.offsetMs)
}

/**
 * At most one marker per kind in each of `buckets` equal slices of the timeline (a seek bar is a few hundred pixels
 * wide; a long recording has thousands of clicks). A kept marker's `count` says how many it stands for.
 */
export function thinMarkers(markers: readonly Marker[], durationMs: number, buckets = 600): Array<Marker & { count: number }> {
  const span = Math.max(1, durationMs)
  const kept = new Map<string, Marker & { count: number }>()
  for (const marker of markers) {
    const bucket = Math.min(buckets - 1, Math.max(0, Math.floor((marker.offsetMs / span) * buckets)))
    const key = `${marker.kind}:${bucket}`
    const existing = kept.get(key)
    if (existing) existing.count++
    else kept.set(key, { ...marker, count: 1 })
  }
  return [...kept.values()]
}

/** `TypeError: Cannot read properties of undefined`, or whichever part is known. */
export function describeException(exception: RecordingException): string {
  const type = exception.type?.trim()
  const message = exception.message?.trim()
  if (type && message) return `${type}: ${message}`
  return type || message || 'Unknown error'
}

export type InspectorTab = 'all' | 'events' | 'console' | 'exceptions' | 'network'
export type LevelFilter = 'all' | 'error' | 'warn' | 'info'

export type InspectorRow = {
  key: string
  offsetMs: number
  kind: TimelineItemKind
  level: string | null
  label: string
  detail: string | null
  windowId: string | null
  exceptionId: number | null
}

const EVENT_KINDS: ReadonlySet<TimelineItemKind> = new Set(['navigation', 'click', 'keypress', 'custom', 'event'])

/**
 * Every inspector row in time order: timeline items, with exceptions taken from the exceptions list (with stacks).
 *
 * `exceptions` defaults to the detail's; the player passes them deduplicated.
 */
export function buildInspectorRows(
  detail: RecordingDetail,
  exceptions: readonly RecordingException[] = detail.exceptions
): InspectorRow[] {
  const startMs = detail.summary.startedAtMs
  const rows: InspectorRow[] = []
  detail.items.forEach((item, index) => {
    if (item.kind === 'exception') return
    rows.push({
      key: `i${index}`,
      offsetMs: item.timestampMs - startMs,
      kind: item.kind,
      level: item.level,
      label: item.label,
      detail: item.detail,
      windowId: item.windowId,
      exceptionId: null
    })
  })
  for (const exception of exceptions) {
    rows.push({
      key: `e${exception.id}`,
      offsetMs: exception.timestampMs - startMs,
      kind: 'exception',
      level: exception.level ?? 'error',
      label: describeException(exception),
      detail: formatStack(exception),
      windowId: exception.windowId,
      exceptionId: exception.id
    })
  }
  return rows.sort((a, b) => a.offsetMs - b.offsetMs)
}

function levelMatches(level: string | null, filter: LevelFilter): boolean {
  if (filter === 'all') return true
  const normalized = (level ?? 'info').toLowerCase()
  if (filter === 'error') return normalized === 'error' || normalized === 'assert' || normalized.startsWith('5')
  if (filter === 'warn') return normalized === 'warn' || normalized === 'warning' || normalized.startsWith('4')
  return !['error', 'assert', 'warn', 'warning'].includes(normalized)
}

/** The rows one tab shows, narrowed by text (case-insensitive, over label and detail) and level. */
export function filterInspectorRows(
  rows: readonly InspectorRow[],
  tab: InspectorTab,
  text: string,
  level: LevelFilter
): InspectorRow[] {
  const needle = text.trim().toLowerCase()
  return rows.filter((row) => {
    if (tab === 'events' && !EVENT_KINDS.has(row.kind)) return false
    if (tab === 'console' && row.kind !== 'console') return false
    if (tab === 'exceptions' && row.kind !== 'exception') return false
    if (tab === 'network' && row.kind !== 'network') return false
    if (!levelMatches(row.level, level)) return false
    if (!needle) return true
    return row.label.toLowerCase().includes(needle) || (row.detail?.toLowerCase().includes(needle) ?? false)
  })
}

/** Index of the last row at or before `offsetMs` (-1 when none), by binary search over time-ordered rows. */
export function findCurrentRowIndex(rows: readonly { offsetMs: number }[], offsetMs: number): number {
  let lo = 0
  let hi = rows.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((rows[mid] as { offsetMs: number }).offsetMs <= offsetMs) {
      found = mid
      lo = mid + 1
    } else {
      hi = mid - 1
    }
  }
  return found
}

/** The top stack frames as text lines (`fn (file:line:col)`), or the raw stack text. */
export function formatStack(exception: RecordingException, maxFrames = 8): string | null {
  if (exception.frames.length > 0) {
    // PostHog lists frames oldest call first; the throwing frame is last.
    return [...exception.frames]
      .reverse()
      .slice(0, maxFrames)
      .map((frame) => {
        const where = [frame.filename, frame.lineno, frame.colno].filter((p) => p !== null && p !== '').join(':')
        return `${frame.function || '<anonymous>'}${where ? ` (${where})` : ''}`
      })
      .join('\n')
  }
  return exception.stackText
}
