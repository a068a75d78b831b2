import type { EventColumnValues } from '../db/event-columns'

/**
 * Normalised rows the parsers produce and the store writes. Plain data, so they cross worker boundaries.
 */

/** How much a source can be trusted for an event's fields: a CSV export flattens and stringifies properties. */
export const EVENT_FIDELITY = { csv: 1, json: 2 } as const

/** One analytics event, ready for the `events` table. */
export type EventRow = {
  uuid: string
  event: string
  distinctId: string
  /** The person id the export carries (PostHog's `person_id`); null when the format has none. */
  personId: string | null
  sessionId: string | null
  windowId: string | null
  timestampMs: number
  /** `$current_url` (or `$screen_name`). */
  url: string | null
  /** The properties object as JSON text. */
  properties: string
  elementsChain: string | null
  fidelity: number
  /** Its `event_columns` row (the extracted properties), computed where the event is parsed. */
  columns: EventColumnValues
}

/** One exception, from a `$exception` event or from the recording itself. */
export type ExceptionRow = {
  sessionId: string
  windowId: string | null
  timestampMs: number
  type: string | null
  message: string | null
  level: string | null
  handled: boolean | null
  /** JSON array of `StackFrame`. */
  frames: string
  stackText: string | null
  source: 'event' | 'console' | 'custom'
  eventUuid: string | null
  fingerprint: string | null
  issueId: string | null
}

/** One person, ready for the `persons` and `person_distinct_ids` tables. */
export type PersonRow = {
  /** PostHog's person uuid (the stable key); the numeric API id goes in `apiId`. */
  id: string
  apiId: string | null
  name: string | null
  email: string | null
  isIdentified: boolean
  /** True for a person profile from a persons export or API; false for one seen only inside a recording export. */
  hasProfile: boolean
  createdAtMs: number | null
  /** The properties object as JSON text. */
  properties: string
  distinctIds: string[]
}
