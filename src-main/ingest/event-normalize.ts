import { createHash } from 'node:crypto'
import { eventColumnValues } from '../db/event-columns'
import { buildCsvRecords, parseCsvHeader } from './csv-columns'
import {
  InvalidRecordError,
  describeType,
  isPlainObject,
  normalizeUuid,
  parseTimestampMs,
  quoteForMessage,
  readId,
  readPropertiesObject,
  readText,
  setOwn,
  stringifyJson
} from './record-values'
import { EVENT_FIDELITY, type EventRow } from './rows'

export { InvalidRecordError } from './record-values'

const MAX_ELEMENTS = 1000

/**
 * Turns one analytics event record of any JSON shape into an `EventRow`.
 *
 * Shapes: batch-export JSON Lines (`properties` nested), ClickHouse rows and Parquet-like rows (`properties` as JSON
 * text, timestamps with offsets), the `/events` API (`id` for `uuid`, `person`, `elements`), and HogQL-style objects
 * (`$session_id`, `properties.$current_url` as top-level keys). A record without a uuid gets a deterministic one
 * from (event, distinct id, time, properties), so importing it twice stores it once.
 *
 * Throws `InvalidRecordError` with the reason when the record cannot be an event.
 */
export function normalizeEvent(raw: unknown, fidelity: number = EVENT_FIDELITY.json): EventRow {
  if (!isPlainObject(raw))
    throw new InvalidRecordError(`an event must be an object, not ${describeType(raw)}`)
  return eventFromRecord(raw, fidelity, null)
}

/** Extra values a CSV's display columns offer when the record itself lacks them. */
type EventFallbacks = { personId: string | null; url: string | null }

function eventFromRecord(
  raw: Record<string, unknown>,
  fidelity: number,
  fallbacks: EventFallbacks | null
): EventRow {
  if (typeof raw.event === 'number')
    throw new InvalidRecordError('event name is a number, not a string')
  const event = readId(raw.event, 'event name')
  if (event === null) throw new InvalidRecordError('missing event name')

  const given = readPropertiesObject(raw.properties, 'properties')
  // Copied only when added to: a copy of 60-odd properties cost about a quarter of the normalisation.
  let properties = given
  for (const key of Object.keys(raw)) {
    // HogQL rows turned into objects carry `properties.$current_url`-style keys.
    if (
      key.startsWith('properties.') &&
      key.length > 11 &&
      !Object.hasOwn(properties, key.slice(11))
    ) {
      if (properties === given) properties = { ...given }
      setOwn(properties, key.slice(11), raw[key])
    }
  }

  const distinctId = readId(raw.distinct_id ?? properties.distinct_id, 'distinct_id')
  if (distinctId === null) throw new InvalidRecordError('missing distinct_id')

  const timestamp = raw.timestamp ?? raw.$timestamp
  if (timestamp === undefined || timestamp === null || timestamp === '') {
    throw new InvalidRecordError('missing timestamp')
  }
  const timestampMs = parseTimestampMs(timestamp)
  if (timestampMs === null) {
    throw new InvalidRecordError(
      typeof timestamp === 'string' || typeof timestamp === 'number'
        ? `unparseable timestamp ${quoteForMessage(String(timestamp))}`
        : `timestamp is ${describeType(timestamp)}, not a string or number`
    )
  }

  const sessionId = readId(
    properties.$session_id ?? raw.$session_id ?? raw.session_id,
    '$session_id'
  )
  const windowId = readId(properties.$window_id ?? raw.$window_id ?? raw.window_id, '$window_id')
  const url =
    readText(properties.$current_url) ??
    readText(properties.$screen_name) ??
    readText(raw.$current_url) ??
    fallbacks?.url ??
    null
  const person = isPlainObject(raw.person) ? raw.person : null
  const personId =
    readId(raw.person_id, 'person_id') ??
    (person ? (readId(person.uuid, 'person.uuid') ?? readId(person.id, 'person.id')) : null) ??
    fallbacks?.personId ??
    null
  const elementsChain =
    readText(raw.elements_chain) ??
    readText(properties.$elements_chain) ??
    elementsToChain(raw.elements) ??
    elementsToChain(properties.$elements)

  const propertiesText = stringifyJson(properties, 'properties')
  const rawUuid = readId(raw.uuid ?? raw.id, 'uuid')
  const uuid =
    rawUuid !== null
      ? normalizeUuid(rawUuid)
      : deriveEventUuid(event, distinctId, timestampMs, properties)

  return {
    uuid,
    event,
    distinctId,
    personId: personId === null ? null : normalizeUuid(personId),
    sessionId,
    windowId,
    timestampMs,
    url,
    properties: propertiesText,
    elementsChain,
    fidelity,
    columns: eventColumnValues(properties)
  }
}

/**
 * A stable UUID-shaped id for an event that has none: SHA-256 of (event, distinct id, ms, properties with sorted
 * keys), so the JSON and the CSV of one event, or two imports of one file, agree.
 */
export function deriveEventUuid(
  event: string,
  distinctId: string,
  timestampMs: number,
  properties: Record<string, unknown>
): string {
  let canonical: string
  try {
    canonical = JSON.stringify([event, distinctId, timestampMs, sortKeys(properties)])
  } catch (error) {
    throw new InvalidRecordError(
      `properties cannot be written as JSON (${(error as Error).message})`
    )
  }
  const hex = createHash('sha256').update(canonical).digest('hex')
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!isPlainObject(value)) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(sorted, key, { value: sortKeys(value[key]), enumerable: true })
  }
  return sorted
}

/**
 * PostHog's `elements_chain` text from an `elements` array (the `/events` API, old `$elements` property), as
 * `elements_to_string` in posthog/models/element writes it: innermost element first, `;`-separated.
 */
export function elementsToChain(elements: unknown): string | null {
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > MAX_ELEMENTS)
    return null
  const items = elements.filter(isPlainObject)
  if (items.length === 0) return null
  const ordered = items.every((item) => typeof item.order === 'number')
    ? [...items].sort((a, b) => (a.order as number) - (b.order as number))
    : items
  const parts = ordered.map((element) => {
    let text = readText(element.tag_name) ?? ''
    const classes = Array.isArray(element.attr_class)
      ? element.attr_class.filter((c): c is string => typeof c === 'string')
      : typeof element.attr_class === 'string'
        ? element.attr_class.split(' ').filter((c) => c !== '')
        : []
    for (const name of [...classes].sort()) text += `.${name.replace(/"/g, '')}`
    const attributes: Record<string, string> = {}
    const elementText = readText(element.text)
    if (elementText !== null) attributes.text = elementText
    attributes['nth-child'] = String(readText(element.nth_child) ?? 0)
    attributes['nth-of-type'] = String(readText(element.nth_of_type) ?? 0)
    const href = readText(element.href)
    if (href !== null) attributes.href = href
    const attrId = readText(element.attr_id)
    if (attrId !== null) attributes.attr_id = attrId
    if (isPlainObject(element.attributes)) {
      for (const [key, value] of Object.entries(element.attributes)) {
        const valueText = readText(value)
        if (valueText !== null) attributes[key] = valueText
      }
    }
    const escape = (s: string) => s.replace(/"/g, '\\"')
    const pairs = Object.keys(attributes)
      .sort()
      .map((key) => `${escape(key)}="${escape(attributes[key])}"`)
    return `${text}:${pairs.join('')}`
  })
  return parts.join(';')
}

/**
 * Which PostHog CSV export a header belongs to: `events` (events table / activity, with or without `*.`
 * columns), `persons` (persons list: `distinct_ids.N`; or a persons-model batch export: `person_id` +
 * `distinct_id`), or null for anything else.
 */
export function csvHeaderKind(header: string[]): 'events' | 'persons' | null {
  const { names } = parseCsvHeader(header)
  const hasEvent = names.has('event')
  if (hasEvent && (names.has('timestamp') || names.has('uuid'))) return 'events'
  if (hasEvent) return null
  for (const name of names) if (/^distinct_ids\.\d+$/.test(name)) return 'persons'
  if (names.has('distinct_ids')) return 'persons'
  if (names.has('person_id') && names.has('distinct_id')) return 'persons'
  if ((names.has('uuid') || names.has('id')) && names.has('created_at')) {
    for (const name of names) if (name.startsWith('properties.')) return 'persons'
  }
  return null
}

/** Property subtrees whose cells the exporter rendered Python-style (the rest are plain text columns). */
function isTypedEventPath(path: readonly string[]): boolean {
  return path.length > 1 && (path[0] === 'properties' || path[0] === 'person_properties')
}

/**
 * Turns one data row of PostHog's events CSV export into an `EventRow` (fidelity `csv`).
 *
 * Reads `*.`-prefixed columns (an "all columns" export) or plain ones, rebuilds dotted columns into nested
 * properties and arrays, and converts Python-rendered values (see `readPythonCell`). Display columns (`event`,
 * `Person.id`, `Url / Screen`, `properties.$lib`, `timestamp`) only fill what the record lacks. Empty cells are
 * absent properties: the CSV cannot tell null from missing. Throws `InvalidRecordError` like `normalizeEvent`.
 */
export function csvRecordToEvent(header: string[], cells: string[]): EventRow {
  const { record, display } = buildCsvRecords(header, cells, isTypedEventPath)
  for (const key of [
    'uuid',
    'event',
    'timestamp',
    'distinct_id',
    'person_id',
    'elements_chain'
  ] as const) {
    if (record[key] === undefined && typeof display[key] === 'string') record[key] = display[key]
  }
  if (record.properties === undefined && isPlainObject(display.properties))
    record.properties = display.properties
  // Without `*.` columns the display columns are part of the record itself.
  const extra = Object.keys(display).length > 0 ? display : record
  const person = isPlainObject(extra.Person)
    ? extra.Person
    : isPlainObject(extra.person)
      ? extra.person
      : null
  const fallbacks: EventFallbacks = {
    personId: person ? readText(person.id) : null,
    url: readText(extra['Url / Screen'])
  }
  return eventFromRecord(record, EVENT_FIDELITY.csv, fallbacks)
}
