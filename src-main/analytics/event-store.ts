import type { ReadableDb } from '../db/types'

/**
 * Every analytics event as columns in memory, grouped by person and sorted by time: what funnels and sessions scan.
 *
 * Loading reads only the `events_by_person_key` covering index (one JSON array per person, parsed in one call:
 * about 1.5 s for 5M events here, see bench/analytics-bench.ts); a funnel pass over the columns then takes tens of
 * milliseconds. Session ids and property values are loaded on demand and kept. A store is valid while
 * `getDataFingerprint(db)` is unchanged: `AnalyticsCache` rebuilds it after an import.
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
  rowid: Float64Array
  eventNames: string[]
  codeByName: Map<string, number>
  /** Events whose person_key is not filled (an import that has not relinked yet); they are left out. */
  eventsWithoutPerson: number
  /** Lazily built caches, keyed by what they hold. */
  lazy: Map<string, unknown>
}

type PersonRow = [personKey: string, timestamps: string, events: string, rowids: string]

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

/** Reads every event into a new `EventStore`. */
export function loadEventStore(db: ReadableDb, fingerprint = getDataFingerprint(db)): EventStore {
  return readConsistently(db, () => readEventStore(db, fingerprint))
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

function readEventStore(db: ReadableDb, fingerprint: string): EventStore {
  // max(rowid) bounds the event count without scanning; the arrays are trimmed at the end.
  const total = (db.prepare(`SELECT max(rowid) FROM events`).pluck().get() as number | null) ?? 0
  const withoutPerson = db
    .prepare(`SELECT count(*) FROM events WHERE person_key IS NULL`)
    .pluck()
    .get() as number
  const timestampMs = new Float64Array(total)
  const eventCode = new Int32Array(total)
  const rowid = new Float64Array(total)
  const personKeys: string[] = []
  const starts: number[] = []
  const eventNames: string[] = []
  const codeByName = new Map<string, number>()
  // One row per person with its events as JSON arrays: far fewer rows to cross into JS than one per event. The
  // covering index yields rows in (person_key, timestamp_ms, event) order; sortPersonSlice repairs any person whose
  // arrays did not come out in time order (the aggregate's row order is not a documented guarantee).
  const statement = db
    .prepare(
      `SELECT person_key, json_group_array(timestamp_ms), json_group_array(event), json_group_array(rowid)
       FROM events WHERE person_key IS NOT NULL GROUP BY person_key ORDER BY person_key`
    )
    .raw()
  let n = 0
  for (const row of statement.iterate() as IterableIterator<PersonRow>) {
    const times = JSON.parse(row[1]) as number[]
    const names = JSON.parse(row[2]) as string[]
    const ids = JSON.parse(row[3]) as number[]
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
      rowid[n] = ids[i]
      if (i > 0 && times[i] < times[i - 1]) sorted = false
      n++
    }
    if (!sorted) sortPersonSlice(timestampMs, eventCode, rowid, start, n)
  }
  starts.push(n)
  return {
    fingerprint,
    personKeys,
    personStart: Int32Array.from(starts),
    timestampMs: n === total ? timestampMs : timestampMs.slice(0, n),
    eventCode: n === total ? eventCode : eventCode.slice(0, n),
    rowid: n === total ? rowid : rowid.slice(0, n),
    eventNames,
    codeByName,
    eventsWithoutPerson: withoutPerson,
    lazy: new Map()
  }
}

function sortPersonSlice(
  ts: Float64Array,
  code: Int32Array,
  rowid: Float64Array,
  start: number,
  end: number
): void {
  const order = Array.from({ length: end - start }, (_, i) => start + i).sort(
    (a, b) => ts[a] - ts[b] || rowid[a] - rowid[b]
  )
  const t = order.map((i) => ts[i])
  const c = order.map((i) => code[i])
  const r = order.map((i) => rowid[i])
  ts.set(t, start)
  code.set(c, start)
  rowid.set(r, start)
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

function getLazy<T>(store: EventStore, key: string, build: () => T): T {
  const existing = store.lazy.get(key)
  if (existing !== undefined) return existing as T
  const value = build()
  store.lazy.set(key, value)
  return value
}

/** Position of each event by rowid (Int32Array indexed by rowid, -1 where no event). */
export function getPositionByRowid(store: EventStore): Int32Array {
  return getLazy(store, 'position-by-rowid', () => {
    let maxRowid = 0
    for (let i = 0; i < store.rowid.length; i++)
      if (store.rowid[i] > maxRowid) maxRowid = store.rowid[i]
    const positions = new Int32Array(maxRowid + 1).fill(-1)
    for (let i = 0; i < store.rowid.length; i++) positions[store.rowid[i]] = i
    return positions
  })
}

/** The person index of every event position. */
export function getPersonOfEvent(store: EventStore): Int32Array {
  return getLazy(store, 'person-of-event', () => {
    const personOf = new Int32Array(store.timestampMs.length)
    for (let p = 0; p < store.personKeys.length; p++) {
      personOf.fill(p, store.personStart[p], store.personStart[p + 1])
    }
    return personOf
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
  return getLazy(store, 'session-column', () => {
    const positionByRowid = getPositionByRowid(store)
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

export type PropertyColumn = {
  /** Distinct values as strings (JSON strings unquoted; numbers, booleans, objects as their JSON text). */
  values: string[]
  /** Index into values per event position; -1 when the property is absent or null, or the event not loaded. */
  valueOf: Int32Array
}

/**
 * One event property as a dictionary-coded column, for the events named `eventName` (or every event when null).
 */
export function getPropertyColumn(
  db: ReadableDb,
  store: EventStore,
  eventName: string | null,
  property: string
): PropertyColumn {
  return getLazy(store, `property:${eventName ?? '*'}:${property}`, () => {
    const positionByRowid = getPositionByRowid(store)
    const valueOf = new Int32Array(store.timestampMs.length).fill(-1)
    const values: string[] = []
    const codeOf = new Map<string, number>()
    const path = jsonPathFor(property)
    const statement =
      eventName === null
        ? db.prepare(`SELECT rowid, properties -> ? FROM events`).raw()
        : db.prepare(`SELECT rowid, properties -> ? FROM events WHERE event = ?`).raw()
    const rows = (
      eventName === null ? statement.iterate(path) : statement.iterate(path, eventName)
    ) as IterableIterator<[number, string | null]>
    for (const [id, json] of rows) {
      if (json === null || json === 'null') continue
      const position = id < positionByRowid.length ? positionByRowid[id] : -1
      if (position < 0) continue
      const value = jsonToText(json)
      let code = codeOf.get(value)
      if (code === undefined) {
        code = values.length
        values.push(value)
        codeOf.set(value, code)
      }
      valueOf[position] = code
    }
    return { values, valueOf }
  })
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
