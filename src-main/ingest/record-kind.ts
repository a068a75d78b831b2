import { isPlainObject } from './record-values'

export type JsonRecordKind =
  | 'event'
  | 'person'
  | 'persons-page'
  | 'events-page'
  | 'rrweb-event'
  | 'blob-line'
  | 'recording-export'
  | 'unknown'

/** Page items looked at to tell an events page from a persons page. */
const PAGE_PROBE = 5

/**
 * What one parsed JSON record is, by shape alone (FORMATS.md §1, §2.5, §2.6, §3, §5.1).
 *
 * - `recording-export`: `{version, data}`, `{data: {snapshots | snapshotsByWindowId}}`, `{snapshotsByWindowId}` or
 *   `{snapshots: [...]}`.
 * - `event`: a string `event` with a `timestamp`, `uuid`, `id` or `distinct_id` (normalizeEvent checks the rest).
 * - `person`: `distinct_ids` (API, JSON Lines), or `person_id` + `distinct_id` without `event` (persons model).
 * - `events-page` / `persons-page`: `{results: [...]}` whose first items are events / persons.
 * - `rrweb-event`: numeric `type` and `timestamp`.
 * - `blob-line`: `[windowId, {type, timestamp}]` (blob_v2) or `{window_id | windowId, data: [...]}` (blob v1).
 *
 * Never throws; `unknown` for everything else, including empty pages.
 */
export function classifyJsonRecord(value: unknown): JsonRecordKind {
  if (Array.isArray(value)) return isBlobV2Line(value) ? 'blob-line' : 'unknown'
  if (!isPlainObject(value)) return 'unknown'
  if (isRecordingExport(value)) return 'recording-export'
  if (isEvent(value)) return 'event'
  if (isPerson(value)) return 'person'
  if (Array.isArray(value.results)) return classifyPage(value.results)
  if (typeof value.type === 'number' && typeof value.timestamp === 'number') return 'rrweb-event'
  if ((value.window_id !== undefined || value.windowId !== undefined) && Array.isArray(value.data))
    return 'blob-line'
  return 'unknown'
}

function isBlobV2Line(value: unknown[]): boolean {
  if (value.length !== 2) return false
  const [windowId, event] = value
  return (
    (typeof windowId === 'string' || typeof windowId === 'number') &&
    isPlainObject(event) &&
    typeof event.type === 'number' &&
    typeof event.timestamp === 'number'
  )
}

function isRecordingExport(value: Record<string, unknown>): boolean {
  if (isPlainObject(value.snapshotsByWindowId)) return true
  if (Array.isArray(value.snapshots) && value.event === undefined) return true
  const data = value.data
  if (!isPlainObject(data)) return false
  if (Array.isArray(data.snapshots) || isPlainObject(data.snapshotsByWindowId)) return true
  return typeof value.version === 'string'
}

function isEvent(value: Record<string, unknown>): boolean {
  // Lenient on purpose: a broken event (say, no timestamp) still reaches normalizeEvent, which names the problem.
  return (
    typeof value.event === 'string' &&
    (value.timestamp !== undefined ||
      value.uuid !== undefined ||
      value.id !== undefined ||
      value.distinct_id !== undefined)
  )
}

function isPerson(value: Record<string, unknown>): boolean {
  if (value.event !== undefined) return false
  if (Array.isArray(value.distinct_ids)) return true
  return value.person_id !== undefined && value.distinct_id !== undefined
}

function classifyPage(results: unknown[]): JsonRecordKind {
  const probe = results.slice(0, PAGE_PROBE)
  if (probe.some((item) => isPlainObject(item) && isEvent(item))) return 'events-page'
  if (probe.some((item) => isPlainObject(item) && isPerson(item))) return 'persons-page'
  return 'unknown'
}
