/**
 * A byte reader for the small incremental rrweb events that make up most of a recording (mouse moves, clicks,
 * scrolls, inputs, viewport changes): it validates the event's JSON and picks out the few facts derivation uses,
 * without `JSON.parse`, the string it needs, or the objects it builds.
 *
 * It answers only for events it reads with certainty and that need nothing else: a JSON object without a line feed
 * (kept as read), whose keys are some of `type`, `timestamp`, `data`, `windowId`, `window_id`, each once and spelled
 * without escapes; `type` 3; a finite number `timestamp`; `data` an object with a number `source` of a source that
 * references no assets (not a mutation, style sheet rule, font, style declaration or adopted style sheet), whose
 * `source`, `type`, `id`, `width`, `height` appear at most once and whose other keys do not make the record look
 * like an export (`snapshots`, `snapshotsByWindowId`). For anything else, including every JSON error, it answers
 * null and the caller parses the event with `JSON.parse`, so errors and unusual events keep their one path.
 */

/** What the reader found in an event it accepted. */
export type SimpleEvent = {
  timestamp: number
  source: number
  /** `data.type` when it is a number (the mouse interaction kind). */
  dataType: number | undefined
  /** `data.id` when it is a number. */
  dataId: number | undefined
  /** `data.width` / `data.height` when they are numbers. */
  width: number | undefined
  height: number | undefined
  /**
   * The event's `windowId` and `window_id` as `JSON.parse` gives them when absent, null, a string or a number;
   * `false` stands for any other value (it names no window, and stops a `??` chain as that value would).
   */
  windowId: string | number | null | false | undefined
  windowIdSnake: string | number | null | false | undefined
}

/** Larger events are left to `JSON.parse`, which is faster on long strings than a byte loop. */
export const SIMPLE_EVENT_MAX_BYTES = 8 * 1024
/** Deeper nesting is left to `JSON.parse` (the reader keeps its open containers as bits of one number). */
const MAX_DEPTH = 30

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

const NOT_SIMPLE = -1

/** Reused between calls: the string decoded for the last window id (a recording repeats one or two ids). */
const windowCache = { bytes: Buffer.alloc(0), text: '' }
/** Set by `stringEnd`: whether the string just passed holds an escape, and the index of its closing quote. */
const lastString = { escaped: false, end: 0 }

/**
 * Reads one event's JSON bytes (the whole value, as the scanner captured it). Returns what it found, or null when
 * the event is not one this reader takes: parse it instead.
 */
export function readSimpleEvent(b: Buffer): SimpleEvent | null {
  const n = b.length
  if (n > SIMPLE_EVENT_MAX_BYTES || b[0] !== OPEN_OBJECT) return null
  let type = NaN
  let timestamp = NaN
  let source = NaN
  let dataType: number | undefined
  let dataId: number | undefined
  let width: number | undefined
  let height: number | undefined
  let windowId: SimpleEvent['windowId']
  let windowIdSnake: SimpleEvent['windowIdSnake']
  let seenTop = 0
  let i = skipSpace(b, 1, n)
  if (i < 0 || b[i] === CLOSE_OBJECT) return null
  for (;;) {
    // A top-level key.
    const keyStart = i + 1
    i = memberKey(b, i, n)
    if (i < 0 || lastString.escaped) return null
    const key = topKey(b, keyStart, lastString.end)
    if (key === 0 || seenTop & key) return null
    seenTop |= key
    const valueStart = i
    if (key === KEY_DATA) {
      if (b[i] !== OPEN_OBJECT) return null
      // The data object: keys looked at one level down, every value validated.
      let seenData = 0
      i = skipSpace(b, i + 1, n)
      if (i < 0 || b[i] === CLOSE_OBJECT) return null
      for (;;) {
        const dataKeyStart = i + 1
        i = memberKey(b, i, n)
        if (i < 0 || lastString.escaped) return null
        const dataKey = dataKeyOf(b, dataKeyStart, lastString.end)
        if (dataKey === DATA_REFUSED || seenData & dataKey) return null
        seenData |= dataKey
        const start = i
        i = valueEnd(b, i, n)
        if (i < 0) return null
        if (dataKey !== 0 && isNumberStart(b[start])) {
          const value = numberValue(b, start, i)
          if (dataKey === DATA_SOURCE) source = value
          else if (dataKey === DATA_TYPE) dataType = value
          else if (dataKey === DATA_ID) dataId = value
          else if (dataKey === DATA_WIDTH) width = value
          else height = value
        } else if (dataKey === DATA_SOURCE) return null
        i = memberSeparator(b, i, n)
        if (i < 0) return null
        if (b[i - 1] === CLOSE_OBJECT) break
      }
    } else {
      i = valueEnd(b, i, n)
      if (i < 0) return null
      const first = b[valueStart]
      if (key === KEY_TYPE || key === KEY_TIMESTAMP) {
        if (!isNumberStart(first)) return null
        if (key === KEY_TYPE) type = numberValue(b, valueStart, i)
        else timestamp = numberValue(b, valueStart, i)
      } else {
        const value = windowValue(b, valueStart, i)
        if (key === KEY_WINDOW_ID) windowId = value
        else windowIdSnake = value
      }
    }
    i = memberSeparator(b, i, n)
    if (i < 0) return null
    if (b[i - 1] === CLOSE_OBJECT) break
  }
  if (skipSpace(b, i, n) !== n) return null
  if (type !== 3 || !(seenTop & KEY_DATA) || !Number.isFinite(timestamp) || Number.isNaN(source))
    return null
  if (source === 0 || source === 8 || source === 10 || source === 13 || source === 15) return null
  return { timestamp, source, dataType, dataId, width, height, windowId, windowIdSnake }
}

const KEY_TYPE = 1
const KEY_TIMESTAMP = 2
const KEY_DATA = 4
const KEY_WINDOW_ID = 8
const KEY_WINDOW_ID_SNAKE = 16

const DATA_SOURCE = 1
const DATA_TYPE = 2
const DATA_ID = 4
const DATA_WIDTH = 8
const DATA_HEIGHT = 16
const DATA_REFUSED = 32

function topKey(b: Buffer, start: number, end: number): number {
  switch (end - start) {
    case 4:
      if (same(b, start, 'type')) return KEY_TYPE
      if (same(b, start, 'data')) return KEY_DATA
      return 0
    case 9:
      if (same(b, start, 'timestamp')) return KEY_TIMESTAMP
      if (same(b, start, 'window_id')) return KEY_WINDOW_ID_SNAKE
      return 0
    case 8:
      return same(b, start, 'windowId') ? KEY_WINDOW_ID : 0
    default:
      return 0
  }
}

function dataKeyOf(b: Buffer, start: number, end: number): number {
  switch (end - start) {
    case 2:
      return same(b, start, 'id') ? DATA_ID : 0
    case 4:
      return same(b, start, 'type') ? DATA_TYPE : 0
    case 5:
      return same(b, start, 'width') ? DATA_WIDTH : 0
    case 6:
      if (same(b, start, 'source')) return DATA_SOURCE
      return same(b, start, 'height') ? DATA_HEIGHT : 0
    // classifyJsonRecord takes `{data: {snapshots | snapshotsByWindowId}}` for an export, not an event.
    case 9:
      return same(b, start, 'snapshots') ? DATA_REFUSED : 0
    case 19:
      return same(b, start, 'snapshotsByWindowId') ? DATA_REFUSED : 0
    default:
      return 0
  }
}

/** Whether the bytes at `start` spell `ascii` (the caller has checked the length). */
function same(b: Buffer, start: number, ascii: string): boolean {
  for (let j = 0; j < ascii.length; j++) if (b[start + j] !== ascii.charCodeAt(j)) return false
  return true
}

function isNumberStart(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39)
}

/**
 * A window id value as `JSON.parse` gives it (see `SimpleEvent.windowId`), for the value `valueEnd` has just
 * passed (so `lastString` describes it when it is a string).
 */
function windowValue(b: Buffer, start: number, end: number): string | number | null | false {
  const c = b[start]
  if (isNumberStart(c)) return numberValue(b, start, end)
  if (c === 0x6e) return null
  if (c !== QUOTE) return false
  if (lastString.escaped) return JSON.parse(b.toString('utf8', start, end)) as string
  const textStart = start + 1
  const textEnd = end - 1
  const cached = windowCache.bytes
  const length = textEnd - textStart
  if (cached.length === length) {
    let j = 0
    while (j < length && b[textStart + j] === cached[j]) j++
    if (j === length) return windowCache.text
  }
  windowCache.bytes = Buffer.from(b.subarray(textStart, textEnd))
  windowCache.text = b.toString('utf8', textStart, textEnd)
  return windowCache.text
}

/** Index of the first byte at or after `i` that is not JSON white space; NOT_SIMPLE on a line feed. */
function skipSpace(b: Buffer, i: number, n: number): number {
  while (i < n) {
    const c = b[i]
    if (c === 0x20 || c === 0x09 || c === 0x0d) i++
    else if (c === 0x0a) return NOT_SIMPLE
    else return i
  }
  return i
}

/**
 * Index just past the string whose content starts at `i` (after its opening quote), checking its escapes and that
 * it holds no control character; NOT_SIMPLE when it is not a valid JSON string. Sets `lastString`.
 */
function stringEnd(b: Buffer, i: number, n: number): number {
  let escaped = false
  while (i < n) {
    const c = b[i]
    if (c === QUOTE) {
      lastString.escaped = escaped
      lastString.end = i
      return i + 1
    }
    if (c < 0x20) return NOT_SIMPLE
    if (c === BACKSLASH) {
      escaped = true
      const e = b[i + 1]
      if (e === 0x75) {
        if (
          i + 6 > n ||
          !isHex(b[i + 2]) ||
          !isHex(b[i + 3]) ||
          !isHex(b[i + 4]) ||
          !isHex(b[i + 5])
        )
          return NOT_SIMPLE
        i += 6
        continue
      }
      // \" \\ \/ \b \f \n \r \t
      if (
        e !== QUOTE &&
        e !== BACKSLASH &&
        e !== 0x2f &&
        e !== 0x62 &&
        e !== 0x66 &&
        e !== 0x6e &&
        e !== 0x72 &&
        e !== 0x74
      ) {
        return NOT_SIMPLE
      }
      i += 2
      continue
    }
    i++
  }
  return NOT_SIMPLE
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
}

/** Index just past a JSON number `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `i`; NOT_SIMPLE if it is not one. */
function numberEnd(b: Buffer, i: number, n: number): number {
  if (b[i] === 0x2d) i++
  if (i >= n) return NOT_SIMPLE
  let c = b[i]
  if (c === 0x30) i++
  else if (c >= 0x31 && c <= 0x39) {
    i++
    while (i < n && (c = b[i]) >= 0x30 && c <= 0x39) i++
  } else return NOT_SIMPLE
  if (i < n && b[i] === 0x2e) {
    const start = ++i
    while (i < n && (c = b[i]) >= 0x30 && c <= 0x39) i++
    if (i === start) return NOT_SIMPLE
  }
  if (i < n && (b[i] === 0x65 || b[i] === 0x45)) {
    i++
    if (i < n && (b[i] === 0x2b || b[i] === 0x2d)) i++
    const start = i
    while (i < n && (c = b[i]) >= 0x30 && c <= 0x39) i++
    if (i === start) return NOT_SIMPLE
  }
  return i
}

/** The value of the (valid) JSON number in `b[start..end)`, as `JSON.parse` gives it. */
function numberValue(b: Buffer, start: number, end: number): number {
  let i = start
  const negative = b[i] === 0x2d
  if (negative) i++
  // Up to 15 digits an integer is exact as computed here; anything else is converted the way JSON.parse does.
  if (end - i > 15) return Number(b.toString('latin1', start, end))
  let value = 0
  for (; i < end; i++) {
    const c = b[i]
    if (c < 0x30 || c > 0x39) return Number(b.toString('latin1', start, end))
    value = value * 10 + (c - 0x30)
  }
  return negative ? -value : value
}

/**
 * Index just past the JSON value starting at `i` (validated: strings, numbers, literals, nested objects and arrays),
 * or NOT_SIMPLE. Containers are walked without recursion; the open ones are bits of `stack` (1: object).
 */
function valueEnd(b: Buffer, i: number, n: number): number {
  let depth = 0
  let stack = 0
  for (;;) {
    // A value starts at i.
    if (i >= n) return NOT_SIMPLE
    const c = b[i]
    if (c === QUOTE) i = stringEnd(b, i + 1, n)
    else if (isNumberStart(c)) i = numberEnd(b, i, n)
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth >= MAX_DEPTH) return NOT_SIMPLE
      const isObject = c === OPEN_OBJECT
      stack = stack * 2 + (isObject ? 1 : 0)
      depth++
      i = skipSpace(b, i + 1, n)
      if (i < 0 || i >= n) return NOT_SIMPLE
      if (b[i] === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        stack = Math.floor(stack / 2)
        depth--
        i++
      } else {
        if (isObject) {
          i = memberKey(b, i, n)
          if (i < 0) return NOT_SIMPLE
        }
        continue
      }
    } else if (c === 0x74) i = literalEnd(b, i, n, 'true')
    else if (c === 0x66) i = literalEnd(b, i, n, 'false')
    else if (c === 0x6e) i = literalEnd(b, i, n, 'null')
    else return NOT_SIMPLE
    if (i < 0) return NOT_SIMPLE
    // After a value: close containers, or go on to the next member or item.
    for (;;) {
      if (depth === 0) return i
      i = skipSpace(b, i, n)
      if (i < 0 || i >= n) return NOT_SIMPLE
      const next = b[i]
      const inObject = stack % 2 === 1
      if (next === COMMA) {
        i = skipSpace(b, i + 1, n)
        if (i < 0) return NOT_SIMPLE
        if (inObject) {
          i = memberKey(b, i, n)
          if (i < 0) return NOT_SIMPLE
        }
        break
      }
      if (next !== (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) return NOT_SIMPLE
      stack = Math.floor(stack / 2)
      depth--
      i++
    }
  }
}

/** `"name":` at `i` (the name is left in `lastString`); index of the value after it, or NOT_SIMPLE. */
function memberKey(b: Buffer, i: number, n: number): number {
  if (i >= n || b[i] !== QUOTE) return NOT_SIMPLE
  i = stringEnd(b, i + 1, n)
  if (i < 0) return NOT_SIMPLE
  i = skipSpace(b, i, n)
  if (i < 0 || i >= n || b[i] !== COLON) return NOT_SIMPLE
  return skipSpace(b, i + 1, n)
}

/**
 * After a member's value at `i` of an object being read: the `,` or `}` that follows it. Index just past the `}`, or
 * of the next member's key after the `,` (so the byte before the result is `}` only when the object closed); or
 * NOT_SIMPLE.
 */
function memberSeparator(b: Buffer, i: number, n: number): number {
  i = skipSpace(b, i, n)
  if (i < 0 || i >= n) return NOT_SIMPLE
  const c = b[i]
  if (c === CLOSE_OBJECT) return i + 1
  if (c !== COMMA) return NOT_SIMPLE
  return skipSpace(b, i + 1, n)
}

function literalEnd(b: Buffer, i: number, n: number, word: string): number {
  if (i + word.length > n) return NOT_SIMPLE
  for (let j = 1; j < word.length; j++) if (b[i + j] !== word.charCodeAt(j)) return NOT_SIMPLE
  return i + word.length
}
