/**
 * Domain types shared by the core, the shells and the renderer.
 *
 * Plain data only: times are epoch milliseconds (`…Ms`), sizes are bytes, ids are branded strings.
 */

/** A recording's id: PostHog's session id (`$session_id`). */
export type RecordingId = string & { readonly __brand: 'RecordingId' }
/** A person's stable id: PostHog's person uuid, or the distinct id of a visitor without a profile. */
export type PersonId = string & { readonly __brand: 'PersonId' }

/** One row of the recording list. */
export type RecordingSummary = {
  id: RecordingId
  distinctId: string | null
  personId: PersonId | null
  personEmail: string | null
  personName: string | null
  startedAtMs: number
  endedAtMs: number
  durationMs: number
  activeMs: number
  clickCount: number
  keypressCount: number
  mouseActivityCount: number
  consoleLogCount: number
  consoleWarnCount: number
  consoleErrorCount: number
  /** `$exception` events linked to this session (console errors are counted separately). */
  exceptionCount: number
  startUrl: string | null
  windowCount: number
  eventCount: number
  viewed: boolean
  /** Set when the recording cannot be replayed (no full snapshot, mobile wireframes…); the reason is shown. */
  brokenReason: string | null
  snapshotSource: 'web' | 'mobile' | 'unknown'
}

export type RecordingSort = 'latest' | 'oldest' | 'longest' | 'most-active' | 'most-errors'

/** What the recording list asks for. Every field is optional; an empty query lists the latest recordings. */
export type RecordingQuery = {
  /** Full-text search over person, URLs, console text, exception messages, custom event tags and event names. */
  text?: string
  fromMs?: number
  toMs?: number
  minDurationMs?: number
  maxDurationMs?: number
  minActiveMs?: number
  hasExceptions?: boolean
  hasConsoleErrors?: boolean
  /** A person id, an email or a distinct id. */
  person?: string
  /** Substring of any URL visited. */
  urlContains?: string
  /** Name of an analytics event performed during the session. */
  performedEvent?: string
  viewed?: boolean
  sort?: RecordingSort
  limit?: number
  offset?: number
}

export type RecordingPage = {
  total: number
  /**
   * False when counting stopped early: there are more than `total` matches (the list shows "1,000+" and asks
   * `recordings:count` for the exact number).
   */
  totalIsExact: boolean
  offset: number
  recordings: RecordingSummary[]
}

export type ActivitySegment = {
  windowId: string
  startMs: number
  endMs: number
  isActive: boolean
}

export type RecordingWindow = {
  windowId: string
  /** 1-based order in which the window first appears. */
  index: number
  firstMs: number
  lastMs: number
  eventCount: number
  startUrl: string | null
}

/** A compressed slice of one window's rrweb events, as stored. */
export type SnapshotChunkInfo = {
  seq: number
  windowId: string
  firstMs: number
  lastMs: number
  eventCount: number
  hasFullSnapshot: boolean
  byteLength: number
}

export type TimelineItemKind =
  | 'navigation'
  | 'click'
  | 'keypress'
  | 'custom'
  | 'console'
  | 'network'
  | 'event'
  | 'exception'

/** A row of the inspector and a marker on the seek bar. */
export type TimelineItem = {
  timestampMs: number
  windowId: string | null
  kind: TimelineItemKind
  /** `log` | `info` | `warn` | `error` … for console rows; HTTP status class for network rows. */
  level: string | null
  label: string
  detail: string | null
}

export type StackFrame = {
  function: string | null
  filename: string | null
  lineno: number | null
  colno: number | null
  inApp: boolean | null
}

export type ExceptionSource = 'event' | 'console' | 'custom'

export type RecordingException = {
  id: number
  sessionId: string
  windowId: string | null
  timestampMs: number
  type: string | null
  message: string | null
  level: string | null
  handled: boolean | null
  frames: StackFrame[]
  /** Stack trace text when frames could not be parsed. */
  stackText: string | null
  source: ExceptionSource
  issueId: string | null
}

/** What the player needs to draw its first frame: a recording's detail without its exceptions and inspector rows. */
export type RecordingPlayback = {
  summary: RecordingSummary
  urls: string[]
  windows: RecordingWindow[]
  segments: ActivitySegment[]
  chunks: SnapshotChunkInfo[]
  hasNetwork: boolean
  sourcePath: string | null
}

/**
 * A recording's exceptions and the inspector's timeline: the bulk of its detail (megabytes for an hour of clicks and
 * console output), which the player asks for separately so that it does not hold up the first frame.
 */
export type RecordingTimeline = {
  exceptions: RecordingException[]
  items: TimelineItem[]
}

/** Everything the player needs before it fetches chunks. */
export type RecordingDetail = RecordingPlayback & RecordingTimeline

export type PersonSummary = {
  id: PersonId
  name: string | null
  email: string | null
  distinctIds: string[]
  isIdentified: boolean
  createdAtMs: number | null
  recordingCount: number
  sessionCount: number
  exceptionCount: number
  lastSeenMs: number | null
}

export type PersonDetail = PersonSummary & { properties: Record<string, unknown> }

export type AnalyticsEvent = {
  uuid: string
  event: string
  distinctId: string
  personId: string | null
  sessionId: string | null
  windowId: string | null
  timestampMs: number
  url: string | null
  properties: Record<string, unknown>
}

export type ImportFileStatus = 'imported' | 'unchanged' | 'failed'

export type ImportFileOutcome = {
  file: string
  status: ImportFileStatus
  kind: 'recording' | 'events' | 'persons' | 'unknown'
  format: string | null
  reason: string | null
  warnings: string[]
  recordings: number
  events: number
  persons: number
}

export type CacheTotals = {
  recordings: number
  /** Identified persons (profiles); anonymous visitors are counted in `anonymousVisitors`. */
  persons: number
  anonymousVisitors: number
  events: number
  exceptions: number
  cacheBytes: number
}

export type ImportSummary = {
  files: { imported: number; unchanged: number; failed: number }
  outcomes: ImportFileOutcome[]
  totals: CacheTotals
  bytesRead: number
  elapsedMs: number
}

export type ImportProgress = {
  filesDone: number
  filesTotal: number
  bytesDone: number
  bytesTotal: number
  currentFile: string | null
}
