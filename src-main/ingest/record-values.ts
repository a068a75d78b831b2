/**
 * Small, total helpers the event and person parsers share: reading loosely typed JSON values without ever
 * throwing a TypeError, and parsing the timestamp spellings PostHog exports use.
 */

/** A record that cannot become a row; `message` is the reason, short enough for an import warning. */
export class InvalidRecordError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'InvalidRecordError'
  }
}

/** Longest id-like string (uuid, event name, distinct id, session id) a record may carry. */
export const MAX_ID_CHARS = 1024

/** Timestamps outside [1970, 10000) are treated as garbage, not as dates. */
const MAX_TIMESTAMP_MS = 253_402_300_800_000

/** Below this a numeric timestamp is read as epoch seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_LIMIT = 1e11

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Describes a value's JSON type for error messages ("a number", "an array", "null"). */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

/** Shortens text for quoting inside an error message. */
export function quoteForMessage(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)
}

/** A non-empty string, or a finite number as text; null for anything else. */
export function readText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

/**
 * An id-like value (string or finite number) as text, null when absent or empty.
 *
 * Throws `InvalidRecordError` naming `field` when the value has the wrong type or is longer than `MAX_ID_CHARS`.
 */
export function readId(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string')
    throw new InvalidRecordError(`${field} is ${describeType(value)}, not a string`)
  if (value.length > MAX_ID_CHARS) {
    throw new InvalidRecordError(`${field} is too long (${value.length} characters)`)
  }
  return value
}

/** `true`/`false`, 1/0 and their text spellings (Python's `True`/`False` included); null otherwise. */
export function readBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 0) return value === 1
  if (typeof value === 'string') {
    const lower = value.toLowerCase()
    if (lower === 'true' || lower === '1') return true
    if (lower === 'false' || lower === '0') return false
  }
  return null
}

/**
 * Epoch milliseconds from an export's timestamp, or null when it cannot be read.
 *
 * Accepts ISO-8601 text with `T` or a space, any number of fractional digits (truncated to ms) and a zone
 * (`Z`, `+02:00`, `-0700`, `+00`); no zone means UTC (ClickHouse `DateTime64` text). Numbers and numeric text are
 * epoch ms, or epoch seconds when below 1e11.
 */
export function parseTimestampMs(value: unknown): number | null {
  if (typeof value === 'number') return epochToMs(value)
  if (typeof value !== 'string') return null
  const text = value.trim()
  if (text.length === 0 || text.length > 64) return null
  if (NUMERIC.test(text)) return epochToMs(Number(text))
  const match = ISO_TIMESTAMP.exec(text)
  if (!match) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = ''] = match
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59) return null
  const ms = fraction === '' ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'))
  let offsetMinutes = 0
  if (zone !== '' && /^[+-]/.test(zone)) {
    const digits = zone.slice(1).replace(':', '')
    const zoneHours = Number(digits.slice(0, 2))
    const zoneMinutes = digits.length > 2 ? Number(digits.slice(2)) : 0
    if (zoneHours > 23 || zoneMinutes > 59) return null
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes)
  }
  const result = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000
  return result >= 0 && result < MAX_TIMESTAMP_MS ? result : null
}

function epochToMs(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null
  const ms = value < SECONDS_LIMIT ? Math.round(value * 1000) : Math.trunc(value)
  return ms < MAX_TIMESTAMP_MS ? ms : null
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Lower-cases text that is a UUID, so `ABC…` and `abc…` name one thing; other ids are kept as written. */
export function normalizeUuid(id: string): string {
  return UUID.test(id) ? id.toLowerCase() : id
}

/** Parses JSON text that must hold an object; throws `InvalidRecordError` naming `field` otherwise. */
export function parseJsonObject(text: string, field: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InvalidRecordError(`${field} is not valid JSON (${(error as Error).message})`)
  }
  if (!isPlainObject(value))
    throw new InvalidRecordError(`${field} is JSON ${describeType(value)}, not an object`)
  return value
}

/**
 * A properties-like value as an object: a nested object, JSON text of one (ClickHouse rows, Parquet), or absent.
 *
 * Throws `InvalidRecordError` for any other type or for JSON text that is not an object.
 */
export function readPropertiesObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {}
  if (isPlainObject(value)) return value
  if (typeof value === 'string') return parseJsonObject(value, field)
  throw new InvalidRecordError(`${field} is ${describeType(value)}, not an object`)
}

/** JSON text of a value; throws `InvalidRecordError` for values JSON cannot hold (cycles, excessive depth). */
export function stringifyJson(value: unknown, field: string): string {
  try {
    return JSON.stringify(value)
  } catch (error) {
    throw new InvalidRecordError(`${field} cannot be written as JSON (${(error as Error).message})`)
  }
}

/** Assigns an own property, even `__proto__`, without touching the prototype chain. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      configurable: true,
      writable: true
    })
  } else {
    target[key] = value
  }
}
