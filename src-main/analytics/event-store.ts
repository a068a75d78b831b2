import { EVENT_COLUMNS } from '../db/migrations/0007-event-columns'
import type { ReadableDb } from '../db/types'
import type { SnapshotPart, SnapshotStore } from './store-snapshots'

/**
 * Every analytics event as columns in memory, grouped by person and sorted by time: what funnels and sessions scan.
 *
 * Loading reads only the `events_by_person_key` covering index (one JSON array per person, parsed in one call:
 * about 1.5–2 s for 5M events here, see bench/analytics-bench.ts); a funnel pass over the columns then takes tens
 * to a couple of hundred milliseconds. Rowids, session ids and property values are loaded on demand and kept. A
 * store is valid while `getDataFingerprint(db)` is unchanged: the analytics engine rebuilds it after an import.
 *
 * With a `SnapshotStore`, the store and each column are saved in the cache once built and read back by the next
 * process (a few hundred milliseconds instead of seconds), as long as the fingerprint still matches.
 */
export type EventStore = {
  fingerprint: string
  /** Person keys in ascending (binary) order. */
  personKeys: string[]
  /** Events of person p are positions personStart[p] … personStart[p + 1] - 1. */
  personStart: Int32Array
  timestampMs: Float64Array
  /** Index into `eventNames`. */
  eventCode: Int32Array
  eventNames: string[]
  codeByName: Map<string, number>
  /** Events whose person_key is not filled (an import that has not relinked yet); they are left out. */
  eventsWithoutPerson: number
  /**
   * Persons whose events did not come out of SQLite in time order, with the order applied (indexes into the person's
   * events as read); `getRowids` applies the same order to the rowids it reads.
   */
  reordered: Map<number, number[]>
  /** Lazily built caches, keyed by what they hold. */
  lazy: Map<string, unknown>
  /** Where columns are saved and read back across runs; null keeps them in memory only. */
  snapshots: SnapshotStore | null
}

/** How a value is saved in a snapshot and read back; `decode` throws when the parts do not fit the store. */
export type SnapshotCodec<T> = {
  encode(value: T): SnapshotPart[]
  decode(parts: SnapshotPart[]): T
}

type PersonRow = [personKey: string, timestamps: string, events: string]

/**
 * A cheap summary of what the analytics depend on; it changes whenever an import, a relink or a deletion happens.
 */
export function getDataFingerprint(db: ReadableDb): string {
  const row = db
    .prepare(
      `SELECT (SELECT max(rowid) FROM events) AS maxEvent,
              (SELECT count(*) FROM person_distinct_ids) AS distinctIds,
              (SELECT count(*) FROM persons) AS persons,
              (SELECT max(id) FROM imports) AS lastImport,
              (SELECT max(finished_at_ms) FROM imports) AS lastFinished,
              (SELECT max(rowid) FROM recordings) AS maxRecording,
              (SELECT count(*) FROM exceptions) AS exceptions`
    )
    .get() as Record<string, number | null>
  return Object.values(row)
    .map((value) => String(value ?? 0))
    .join(':')
}

/**
 * Reads every event into a new `EventStore`: from the snapshot of the current data when there is one, else from the
 * events (then saved as a snapshot).
 */
export function loadEventStore(
  db: ReadableDb,
  options: { snapshots?: SnapshotStore | null } = {}
): EventStore {
  const snapshots = options.snapshots ?? null
  const { fingerprint, saved } = readConsistently(db, () => {
    const current = getDataFingerprint(db)
    return { fingerprint: current, saved: snapshots?.read(STORE_KEY, current) }
  })
  if (saved) {
    try {
      return decodeStore(saved, fingerprint, snapshots)
    } catch {
      // A snapshot this build cannot read: rebuild it below.
    }
  }
  const store = readConsistently(db, () => readEventStore(db, getDataFingerprint(db), snapshots))
  snapshots?.write(STORE_KEY, store.fingerprint, encodeStore(store))
  return store
}

const STORE_KEY = 'store'

type StoreMeta = {
  personKeys: string[]
  eventNames: string[]
  eventsWithoutPerson: number
  reordered: [number, number[]][]
}

function encodeStore(store: EventStore): SnapshotPart[] {
  const meta: StoreMeta = {
    personKeys: store.personKeys,
    eventNames: store.eventNames,
    eventsWithoutPerson: store.eventsWithoutPerson,
    reordered: [...store.reordered.entries()]
  }
  return [{ json: meta }, store.personStart, store.timestampMs, store.eventCode]
}

function decodeStore(
  parts: SnapshotPart[],
  fingerprint: string,
  snapshots: SnapshotStore | null
): EventStore {
  const [metaPart, personStart, timestampMs, eventCode] = parts
  if (
    !(metaPart && 'json' in metaPart) ||
    !(personStart instanceof Int32Array) ||
    !(timestampMs instanceof Float64Array) ||
    !(eventCode instanceof Int32Array)
  ) {
    throw new Error('not an event store snapshot')
  }
  const meta = metaPart.json as StoreMeta
  if (
    personStart.length !== meta.personKeys.length + 1 ||
    eventCode.length !== timestampMs.length ||
    personStart[personStart.length - 1] !== timestampMs.length
  ) {
    throw new Error('event store snapshot does not add up')
  }
  return {
    fingerprint,
    personKeys: meta.personKeys,
    personStart,
    timestampMs,
    eventCode,
    eventNames: meta.eventNames,
    codeByName: new Map(meta.eventNames.map((name, code) => [name, code])),
    eventsWithoutPerson: meta.eventsWithoutPerson,
    reordered: new Map(meta.reordered),
    lazy: new Map(),
    snapshots
  }
}

/** Runs `read` inside one read transaction, so its statements see the same snapshot. */
export function readConsistently<T>(db: ReadableDb, read: () => T): T {
  if (db.inTransaction) return read()
  db.exec('BEGIN')
  try {
    return read()
  } finally {
    db.exec('COMMIT')
  }
}

function readEventStore(
  db: ReadableDb,
  fingerprint: string,
  snapshots: SnapshotStore | null
): EventStore {
  // max(rowid) bounds the event count without scanning; the arrays are trimmed at the end.
  const total = (db.prepare(`SELECT max(rowid) FROM events`).pluck().get() as number | null) ?? 0
  const withoutPerson = db
    .prepare(`SELECT count(*) FROM events WHERE person_key IS NULL`)
    .pluck()
    .get() as number
  const timestampMs = new Float64Array(total)
  const eventCode = new Int32Array(total)
  const reordered = new Map<number, number[]>()
  const personKeys: string[] = []
  const starts: number[] = []
  const eventNames: string[] = []
  const codeByName = new Map<string, number>()
  // One row per person with its events as JSON arrays: far fewer rows to cross into JS than one per event. The
  // covering index yields rows in (person_key, timestamp_ms, event, rowid) order; sortPersonSlice repairs any person
  // whose arrays did not come out in time order (the aggregate's row order is not a documented guarantee).
  const statement = db
    .prepare(
      `SELECT person_key, json_group_array(timestamp_ms), json_group_array(event)
       FROM events WHERE person_key IS NOT NULL GROUP BY person_key ORDER BY person_key`
    )
    .raw()
  let n = 0
  for (const row of statement.iterate() as IterableIterator<PersonRow>) {
    const times = JSON.parse(row[1]) as number[]
    const names = JSON.parse(row[2]) as string[]
    if (n + times.length > total)
      throw new Error('events changed while the analytics store was loading')
    personKeys.push(row[0])
    starts.push(n)
    const start = n
    let sorted = true
    for (let i = 0; i < times.length; i++) {
      let code = codeByName.get(names[i])
      if (code === undefined) {
        code = eventNames.length
        eventNames.push(names[i])
        codeByName.set(names[i], code)
      }
      timestampMs[n] = times[i]
      eventCode[n] = code
      if (i > 0 && times[i] < times[i - 1]) sorted = false
      n++
    }
    if (!sorted)
      reordered.set(personKeys.length - 1, sortPersonSlice(timestampMs, eventCode, start, n))
  }
  starts.push(n)
  return {
    fingerprint,
    personKeys,
    personStart: Int32Array.from(starts),
    timestampMs: n === total ? timestampMs : timestampMs.slice(0, n),
    eventCode: n === total ? eventCode : eventCode.slice(0, n),
    eventNames,
    codeByName,
    eventsWithoutPerson: withoutPerson,
    reordered,
    lazy: new Map(),
    snapshots
  }
}

/** Sorts one person's events by time (stably) in place; returns the order applied. */
function sortPersonSlice(ts: Float64Array, code: Int32Array, start: number, end: number): number[] {
  const order = Array.from({ length: end - start }, (_, i) => i).sort(
    (a, b) => ts[start + a] - ts[start + b] || a - b
  )
  const t = order.map((i) => ts[start + i])
  const c = order.map((i) => code[start + i])
  ts.set(t, start)
  code.set(c, start)
  return order
}

/**
 * The rowid of every event position, read on first use (drill-downs, session ids and property values need it; a
 * funnel's counts do not). Reads the same covering index in the same order as the store was loaded; throws when the
 * events changed since (the next request then loads a fresh store).
 */
export function getRowids(db: ReadableDb, store: EventStore): Float64Array {
  return getPersisted(db, store, 'rowids', rowidsCodec(store), () => {
    const rowids = new Float64Array(store.timestampMs.length)
    const statement = db
      .prepare(
        `SELECT person_key, json_group_array(rowid) FROM events
         WHERE person_key IS NOT NULL GROUP BY person_key ORDER BY person_key`
      )
      .raw()
    let p = 0
    for (const [personKey, json] of statement.iterate() as IterableIterator<[string, string]>) {
      const ids = JSON.parse(json) as number[]
      const start = store.personStart[p]
      if (store.personKeys[p] !== personKey || store.personStart[p + 1] - start !== ids.length) {
        throw new Error('the events changed while they were being read; run the query again')
      }
      const order = store.reordered.get(p)
      for (let i = 0; i < ids.length; i++) rowids[start + i] = ids[order ? order[i] : i]
      p++
    }
    if (p !== store.personKeys.length) {
      throw new Error('the events changed while they were being read; run the query again')
    }
    return rowids
  })
}

function rowidsCodec(store: EventStore): SnapshotCodec<Float64Array> {
  return {
    encode: (rowids) => [rowids],
    decode: ([rowids]) => {
      if (!(rowids instanceof Float64Array) || rowids.length !== store.timestampMs.length) {
        throw new Error('rowid snapshot does not fit the store')
      }
      return rowids
    }
  }
}

/** The number of events in the store. */
export function countEvents(store: EventStore): number {
  return store.timestampMs.length
}

/** Binary search for a person key; -1 when absent. */
export function findPerson(store: EventStore, personKey: string): number {
  let low = 0
  let high = store.personKeys.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const key = store.personKeys[mid]
    if (key === personKey) return mid
    if (key < personKey) low = mid + 1
    else high = mid - 1
  }
  return -1
}

/** A value cached in the store, built on first use. */
export function getLazy<T>(store: EventStore, key: string, build: () => T): T {
  const existing = store.lazy.get(key)
  if (existing !== undefined) return existing as T
  const value = build()
  store.lazy.set(key, value)
  return value
}

/**
 * A value cached in the store and in its snapshots: read back from the snapshot of the store's fingerprint, else
 * built (in one read transaction) and saved, unless the data changed since the store was loaded.
 */
export function getPersisted<T>(
  db: ReadableDb,
  store: EventStore,
  key: string,
  codec: SnapshotCodec<T>,
  build: () => T
): T {
  return getLazy(store, key, () => {
    const saved = readSaved(store, key, codec)
    if (saved !== undefined) return saved
    const { value, current } = readConsistently(db, () => ({
      value: build(),
      current: store.snapshots !== null && getDataFingerprint(db) === store.fingerprint
    }))
    if (current) store.snapshots?.write(key, store.fingerprint, codec.encode(value))
    return value
  })
}

/** A value from memory or from the store's snapshot, without building it; undefined when neither has it. */
function findSaved<T>(store: EventStore, key: string, codec: SnapshotCodec<T>): T | undefined {
  const existing = store.lazy.get(key)
  if (existing !== undefined) return existing as T
  const saved = readSaved(store, key, codec)
  if (saved !== undefined) store.lazy.set(key, saved)
  return saved
}

function readSaved<T>(store: EventStore, key: string, codec: SnapshotCodec<T>): T | undefined {
  const parts = store.snapshots?.read(key, store.fingerprint)
  if (!parts) return undefined
  try {
    return codec.decode(parts)
  } catch {
    return undefined
  }
}

/** Position of each event by rowid (Int32Array indexed by rowid, -1 where no event). */
export function getPositionByRowid(db: ReadableDb, store: EventStore): Int32Array {
  return getLazy(store, 'position-by-rowid', () => {
    const rowids = getRowids(db, store)
    let maxRowid = 0
    for (let i = 0; i < rowids.length; i++) if (rowids[i] > maxRowid) maxRowid = rowids[i]
    const positions = new Int32Array(maxRowid + 1).fill(-1)
    for (let i = 0; i < rowids.length; i++) positions[rowids[i]] = i
    return positions
  })
}

export type SessionColumn = {
  /** Distinct `$session_id` values, ascending. */
  sessionIds: string[]
  /** Index into sessionIds per event position; -1 when the event has no session id. */
  sessionOf: Int32Array
}

/** Each event's `$session_id`, read from the `events_by_session` covering index. */
export function getSessionColumn(db: ReadableDb, store: EventStore): SessionColumn {
  const codec = sessionCodec(store)
  const saved = findSaved(store, 'session-column', codec)
  if (saved) return saved
  // Rowids first: they are read (and saved) in a transaction of their own.
  const positionByRowid = getPositionByRowid(db, store)
  return getPersisted(db, store, 'session-column', codec, () => {
    const sessionOf = new Int32Array(store.timestampMs.length).fill(-1)
    const sessionIds: string[] = []
    const statement = db
      .prepare(
        `SELECT session_id, json_group_array(rowid) FROM events
         WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY session_id`
      )
      .raw()
    for (const row of statement.iterate() as IterableIterator<[string, string]>) {
      const index = sessionIds.length
      sessionIds.push(row[0])
      for (const id of JSON.parse(row[1]) as number[]) {
        const position = id < positionByRowid.length ? positionByRowid[id] : -1
        if (position >= 0) sessionOf[position] = index
      }
    }
    return { sessionIds, sessionOf }
  })
}

function sessionCodec(store: EventStore): SnapshotCodec<SessionColumn> {
  return dictionaryCodec(
    store,
    'session',
    (column) => [column.sessionIds, column.sessionOf],
    (sessionIds, sessionOf) => ({ sessionIds, sessionOf })
  )
}

/**
 * A dictionary-coded column (its distinct strings, and one Int32 code per event of the store) as a snapshot; a
 * snapshot whose codes do not match the store's events is refused.
 */
function dictionaryCodec<T>(
  store: EventStore,
  name: string,
  split: (column: T) => [string[], Int32Array],
  join: (strings: string[], codes: Int32Array) => T
): SnapshotCodec<T> {
  return {
    encode: (column) => {
      const [strings, codes] = split(column)
      return [{ json: strings }, codes]
    },
    decode: ([strings, codes]) => {
      if (
        !(strings && 'json' in strings && Array.isArray(strings.json)) ||
        !(codes instanceof Int32Array) ||
        codes.length !== store.timestampMs.length
      ) {
        throw new Error(`${name} snapshot does not fit the store`)
      }
      return join(strings.json as string[], codes)
    }
  }
}

export type PropertyColumn = {
  /** Distinct values as strings (JSON strings unquoted; numbers, booleans, objects as their JSON text). */
  values: string[]
  /** Index into values per event position; -1 when the property is absent or null, or the event not loaded. */
  valueOf: Int32Array
}

/**
 * One event property as a dictionary-coded column, for the events named `eventName` (or every event when null).
 *
 * A column over every event serves any event name (its positions are a superset), so it is used when it is at hand.
 */
export function getPropertyColumn(
  db: ReadableDb,
  store: EventStore,
  eventName: string | null,
  property: string
): PropertyColumn {
  const codec = propertyCodec(store)
  if (eventName !== null && isExtracted(property) && hasEventColumns(db, store))
    return loadPropertyColumns(db, store, null, [property])[0]
  if (eventName !== null) {
    const everyEvent = findSaved(store, propertyKey(null, property), codec)
    if (everyEvent) return everyEvent
  }
  return (
    findSaved(store, propertyKey(eventName, property), codec) ??
    loadPropertyColumns(db, store, eventName, [property])[0]
  )
}

/**
 * Several properties of the events named `eventName` (or of every event when null), extracted in one read of those
 * rows (reading the rows costs far more than extracting one more property), each cached and saved as a column.
 */
export function loadPropertyColumns(
  db: ReadableDb,
  store: EventStore,
  eventName: string | null,
  properties: readonly string[]
): PropertyColumn[] {
  const codec = propertyCodec(store)
  // An extracted property is read for every event from `event_columns` (no JSON to parse): that column serves any
  // event name. The others are extracted from the properties JSON of the events named `eventName`.
  const extractedHere = (property: string) => isExtracted(property) && hasEventColumns(db, store)
  const keyOf = (property: string) =>
    propertyKey(extractedHere(property) ? null : eventName, property)
  const missing = [...new Set(properties)].filter(
    (property) => findSaved(store, keyOf(property), codec) === undefined
  )
  if (missing.length > 0) {
    // Rowids first: they are read (and saved) in a transaction of their own.
    const positionByRowid = getPositionByRowid(db, store)
    const extracted = missing.filter(extractedHere)
    const fromJson = missing.filter((property) => !extractedHere(property))
    const { columns, current } = readConsistently(db, () => ({
      columns: [
        ...(extracted.length > 0
          ? readExtractedColumns(db, store, positionByRowid, extracted)
          : []),
        ...(fromJson.length > 0
          ? readPropertyColumns(db, store, positionByRowid, eventName, fromJson)
          : [])
      ],
      current: store.snapshots !== null && getDataFingerprint(db) === store.fingerprint
    }))
    ;[...extracted, ...fromJson].forEach((property, i) => {
      const key = keyOf(property)
      store.lazy.set(key, columns[i])
      if (current) store.snapshots?.write(key, store.fingerprint, codec.encode(columns[i]))
    })
  }
  return properties.map((property) => store.lazy.get(keyOf(property)) as PropertyColumn)
}

const EXTRACTED_COLUMN = new Map<string, string>(
  EVENT_COLUMNS.map(({ property, column }) => [property, column])
)

/** True when the cache has `event_columns` (migration 0007); an older read-only cache has only the JSON. */
export function hasEventColumns(db: ReadableDb, store: EventStore): boolean {
  return getLazy(store, 'has-event-columns', () => tableExists(db, 'event_columns'))
}

/** True when the connection's schema has a table of that name. */
export function tableExists(db: ReadableDb, name: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !==
    undefined
  )
}

/** True for the properties kept in `event_columns` (see migration 0007), read without parsing JSON. */
export function isExtracted(property: string): boolean {
  return EXTRACTED_COLUMN.has(property)
}

/**
 * Extracted properties of every event, from `event_columns`: the same values `readPropertyColumns` gives.
 *
 * Rows cross into JS in blocks (one JSON array per column per block of rowids): one row per event would cost more
 * than the reading (about 7 s for 5M events here, against about 1–2 s in blocks).
 */
function readExtractedColumns(
  db: ReadableDb,
  store: EventStore,
  positionByRowid: Int32Array,
  properties: readonly string[]
): PropertyColumn[] {
  const columns = properties.map(() => newColumnBuilder(store))
  const names = properties.map((property) => EXTRACTED_COLUMN.get(property) as string)
  const statement = db
    .prepare(
      `SELECT json_group_array(rowid), ${names.map((name) => `json_group_array(${name})`).join(', ')}
       FROM (SELECT rowid, ${names.join(', ')} FROM event_columns WHERE rowid > ? ORDER BY rowid LIMIT ?)`
    )
    .raw()
  let after = -Infinity
  for (;;) {
    const row = statement.get(after, EXTRACT_BLOCK) as string[]
    const ids = JSON.parse(row[0]) as number[]
    if (ids.length === 0) break
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]
      const values = JSON.parse(row[c + 1]) as (string | null)[]
      for (let i = 0; i < ids.length; i++) {
        const value = values[i]
        if (value === null) continue
        const id = ids[i]
        const position = id < positionByRowid.length ? positionByRowid[id] : -1
        if (position < 0) continue
        setColumnValue(column, position, value)
      }
    }
    for (const id of ids) if (id > after) after = id
    if (ids.length < EXTRACT_BLOCK) break
  }
  return columns.map(finishColumn)
}

const EXTRACT_BLOCK = 20_000

/** A `PropertyColumn` being filled, with the code of each value seen so far. */
type ColumnBuilder = PropertyColumn & { codeOf: Map<string, number> }

function newColumnBuilder(store: EventStore): ColumnBuilder {
  return {
    values: [],
    valueOf: new Int32Array(store.timestampMs.length).fill(-1),
    codeOf: new Map()
  }
}

/** Sets the value of the event at `position`, coding a value not seen before. */
function setColumnValue(column: ColumnBuilder, position: number, value: string): void {
  let code = column.codeOf.get(value)
  if (code === undefined) {
    code = column.values.length
    column.values.push(value)
    column.codeOf.set(value, code)
  }
  column.valueOf[position] = code
}

function finishColumn({ values, valueOf }: ColumnBuilder): PropertyColumn {
  return { values, valueOf }
}

function propertyKey(eventName: string | null, property: string): string {
  return `property:${eventName ?? '*'}:${property}`
}

/**
 * Properties of the events named `eventName` (or of every event) read from their JSON, even those `event_columns`
 * holds: what the extracted columns must equal (tests and benchmarks compare them). Not cached.
 */
export function readPropertyColumnsFromJson(
  db: ReadableDb,
  store: EventStore,
  eventName: string | null,
  properties: readonly string[]
): PropertyColumn[] {
  const positionByRowid = getPositionByRowid(db, store)
  return readConsistently(db, () =>
    readPropertyColumns(db, store, positionByRowid, eventName, properties)
  )
}

function readPropertyColumns(
  db: ReadableDb,
  store: EventStore,
  positionByRowid: Int32Array,
  eventName: string | null,
  properties: readonly string[]
): PropertyColumn[] {
  const columns = properties.map(() => newColumnBuilder(store))
  const extracts = properties.map(() => 'properties -> ?').join(', ')
  const paths = properties.map(jsonPathFor)
  const statement =
    eventName === null
      ? db.prepare(`SELECT rowid, ${extracts} FROM events`).raw()
      : db.prepare(`SELECT rowid, ${extracts} FROM events WHERE event = ?`).raw()
  const rows = (
    eventName === null ? statement.iterate(...paths) : statement.iterate(...paths, eventName)
  ) as IterableIterator<[number, ...(string | null)[]]>
  for (const row of rows) {
    const id = row[0]
    const position = id < positionByRowid.length ? positionByRowid[id] : -1
    if (position < 0) continue
    for (let c = 0; c < columns.length; c++) {
      const json = row[c + 1] as string | null
      if (json === null || json === 'null') continue
      setColumnValue(columns[c], position, jsonToText(json))
    }
  }
  return columns.map(finishColumn)
}

function propertyCodec(store: EventStore): SnapshotCodec<PropertyColumn> {
  return dictionaryCodec(
    store,
    'property',
    (column) => [column.values, column.valueOf],
    (values, valueOf) => ({ values, valueOf })
  )
}

/** The SQLite JSON path of a top-level property, quoted so names like `$pathname` or `a.b` are taken literally. */
export function jsonPathFor(property: string): string {
  return `$."${property.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** A JSON value (as SQLite's `->` returns it) as the text filters compare: strings unquoted, the rest as JSON. */
export function jsonToText(json: string): string {
  if (json.startsWith('"')) {
    try {
      return JSON.parse(json) as string
    } catch {
      return json
    }
  }
  return json
}
