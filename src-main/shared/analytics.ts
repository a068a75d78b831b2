/**
 * Analytics types: funnels, sessions, persons and their timelines.
 *
 * Persons are counted as PostHog does: by the resolved person (`events.person_key`), and an anonymous visitor without
 * a profile is its own person. Times are epoch milliseconds unless the name says seconds.
 */
import type { AnalyticsEvent, PersonId, PersonSummary, RecordingId } from './domain'

/** How a step's property filter compares the event property (values are compared as strings). */
export type PropertyOperator =
  'equals' | 'not-equals' | 'starts-with' | 'contains' | 'not-contains' | 'is-set' | 'is-not-set'

export type PropertyFilter = {
  /** An event property name such as `$pathname` or `$current_url`. */
  property: string
  operator: PropertyOperator
  /** Ignored by `is-set` / `is-not-set`. */
  value?: string
}

export type FunnelStep = {
  event: string
  /** Shown instead of the event name. */
  label?: string
  /** Every filter must hold (AND). */
  filters?: PropertyFilter[]
}

/**
 * `ordered`: each step at or after the previous one, other events may happen in between (PostHog's default).
 * `strict`: the steps must follow each other with no other event of the person in between.
 */
export type FunnelOrder = 'ordered' | 'strict'

export type FunnelBreakdown = {
  /** `event`: the property on the person's first step-1 event (first touch); `person`: the person's profile. */
  source: 'event' | 'person'
  property: string
}

export type FunnelDefinition = {
  /** 2 to 10 steps. */
  steps: FunnelStep[]
  /** Conversion window, measured from the step-1 event; a step exactly at the edge still counts. */
  windowMs: number
  order?: FunnelOrder
  breakdown?: FunnelBreakdown | null
  /** Only events in [fromMs, toMs] take part. */
  fromMs?: number
  toMs?: number
}

export type FunnelStepResult = {
  /** 0-based. */
  index: number
  event: string
  label: string
  /** Persons who reached this step. */
  count: number
  /** count / previous step's count (1 for the first step, 0 when the previous count is 0). */
  conversionFromPrevious: number
  /** count / first step's count. */
  conversionFromFirst: number
  /** Persons who reached the previous step but not this one (0 for the first step). */
  droppedFromPrevious: number
  /** Median time from the previous step to this one, over the persons who reached it; null for step 1. */
  medianSecondsToConvert: number | null
  averageSecondsToConvert: number | null
}

export type FunnelBreakdownResult = { value: string | null; steps: FunnelStepResult[] }

export type FunnelResult = {
  steps: FunnelStepResult[]
  /** One entry per breakdown value, most step-1 persons first; empty without a breakdown. */
  breakdowns: FunnelBreakdownResult[]
  /** Persons with at least one event in the range. */
  personsConsidered: number
  eventsScanned: number
  computedInMs: number
}

/** A recording of a funnel attempt, with where the player should open. */
export type FunnelRecordingLink = {
  recordingId: RecordingId
  startedAtMs: number
  durationMs: number
  /** Seconds from the recording start to the person's last completed step (0 when the step is outside it). */
  openAtSeconds: number
  /** True for the recording whose session holds the last completed step. */
  holdsLastStep: boolean
}

export type FunnelPerson = {
  personId: PersonId
  email: string | null
  name: string | null
  /** 0-based index of the last step the person completed. */
  lastStepIndex: number
  lastStepAtMs: number
  attemptStartedAtMs: number
  /** Matching recordings, the one holding the last completed step first. */
  recordings: FunnelRecordingLink[]
}

export type FunnelPersonsQuery = {
  definition: FunnelDefinition
  /** 0-based step: `dropped` = reached this step but not the next; `converted` = reached the next step too. */
  stepIndex: number
  outcome: 'dropped' | 'converted'
  /** Restrict to one breakdown value (null = persons without the property). Omit for everyone. */
  breakdownValue?: string | null
  offset?: number
  limit?: number
}

export type FunnelPersonsPage = { total: number; offset: number; persons: FunnelPerson[] }

/** An exception over-represented among the attempts that dropped off at a step. */
export type FunnelIssue = {
  /** The issue id, else the fingerprint, else type + message. */
  key: string
  issueId: string | null
  type: string | null
  message: string | null
  /** `event` ($exception), `console` (console.error in the recording) or `custom`. */
  source: string
  /** Dropped-off sessions with this exception. */
  droppedSessions: number
  convertedSessions: number
  droppedRate: number
  convertedRate: number
  /**
   * How many times likelier the exception is among dropped-off sessions: the two rates, each smoothed with one
   * pseudo-session that has the exception, (dropped + 1) / (droppedTotal + 1) ÷ (converted + 1) / (convertedTotal + 1).
   * Finite, 1 for equal rates, and above 1 for an exception seen only in dropped-off sessions however few converted.
   */
  lift: number
  /** Recordings of dropped-off sessions with the exception, opening at its first occurrence. */
  recordings: { recordingId: RecordingId; openAtSeconds: number; personId: PersonId }[]
}

export type FunnelIssuesResult = {
  stepIndex: number
  droppedSessionsTotal: number
  convertedSessionsTotal: number
  issues: FunnelIssue[]
}

export type SavedFunnel = {
  id: number
  name: string
  definition: FunnelDefinition
  createdAtMs: number
}

/** How events are grouped into sessions. */
export type SessionDefinition =
  { kind: 'session-id' } | { kind: 'gap'; gapMs: number } | { kind: 'property'; property: string }

export type SessionQuery = {
  definition: SessionDefinition
  fromMs?: number
  toMs?: number
}

export type DeviceInfo = {
  deviceId: string | null
  deviceType: string | null
  browser: string | null
  os: string | null
}

export type Percentiles = { p50: number; p75: number; p90: number; p95: number; p99: number }

/** Values in [from, to); `to` is -1 for the last, open-ended bucket. */
export type HistogramBucket = { from: number; to: number; count: number }

export type SessionStats = {
  definition: SessionDefinition
  sessions: number
  persons: number
  events: number
  /** Events left out because they have no session key under this definition. */
  eventsWithoutSession: number
  /** Sessions per UTC day of their start, oldest first, days without sessions included. */
  perDay: { day: string; sessions: number }[]
  duration: {
    averageSeconds: number
    percentilesSeconds: Percentiles
    /** Buckets in seconds. */
    histogram: HistogramBucket[]
  }
  pageviews: {
    total: number
    averagePerSession: number
    medianPerSession: number
    histogram: HistogramBucket[]
  }
  /**
   * PostHog's `$is_bounce`: one pageview/screen/autocapture at most and under 10 s. Sessions without any
   * pageview, screen or autocapture are left out of the rate.
   */
  bounce: { bounced: number; eligible: number; rate: number }
  sessionsPerPerson: { average: number; median: number; histogram: HistogramBucket[] }
  /** Persons seen on more than one device (`$device_id`, else device type / OS / browser). */
  multiDevice: {
    persons: number
    /** Of those, persons with sessions on two devices overlapping or within the gap (30 min by default). */
    concurrentPersons: number
    list: MultiDevicePerson[]
  }
  computedInMs: number
}

export type MultiDevicePerson = {
  personId: PersonId
  email: string | null
  devices: DeviceInfo[]
  sessions: number
  concurrent: boolean
}

/** Which sessions to list: the drill-down of a figure in `SessionStats`. */
export type SessionFilter =
  | { kind: 'all' }
  | { kind: 'day'; day: string }
  | { kind: 'duration'; minSeconds: number; maxSeconds: number }
  | { kind: 'pageviews'; min: number; max: number }
  | { kind: 'bounced' }
  | { kind: 'person'; personId: string }
  | { kind: 'multi-device' }

export type SessionListQuery = SessionQuery & {
  filter: SessionFilter
  offset?: number
  limit?: number
}

export type SessionSummary = {
  key: string
  personId: PersonId
  email: string | null
  startedAtMs: number
  endedAtMs: number
  durationMs: number
  events: number
  pageviews: number
  bounced: boolean | null
  device: DeviceInfo | null
  /** Recordings behind the session: its own `$session_id`s, else the person's recordings overlapping it. */
  recordingIds: RecordingId[]
}

export type SessionPage = { total: number; offset: number; sessions: SessionSummary[] }

export type PersonSort = 'last-seen' | 'recordings' | 'sessions' | 'exceptions'

export type PersonQuery = {
  /** Matches email, name, distinct ids, person id and property values (case-insensitive substring). */
  search?: string
  /** true: persons with a profile only; false: anonymous visitors only. */
  identified?: boolean
  sort?: PersonSort
  offset?: number
  limit?: number
}

export type PersonPage = { total: number; offset: number; persons: PersonSummary[] }

export type PersonEventsQuery = {
  personId: string
  event?: string
  offset?: number
  limit?: number
}

export type PersonEventsPage = {
  total: number
  offset: number
  events: AnalyticsEvent[]
  /** Every event name of the person with its count, for the filter. */
  eventNames: { name: string; count: number }[]
}

/** One session of a person's cross-device timeline. */
export type PersonTimelineSession = {
  sessionId: string
  startedAtMs: number
  endedAtMs: number
  durationMs: number
  device: DeviceInfo
  windowCount: number
  /** Paths visited in order (consecutive repeats collapsed). */
  pages: string[]
  pageviews: number
  events: number
  exceptions: number
  recordingId: RecordingId | null
}

export type PersonTimeline = {
  personId: PersonId
  sessions: PersonTimelineSession[]
  devices: DeviceInfo[]
}

export type EventNameCount = { name: string; count: number }
