import type { ReadableDb } from '../db/types'

/**
 * Every analytics event as columns in memory, grouped by person and sorted by time: what funnels and sessions scan.
 *
 * Loading reads only the `events_by_person_key` covering index (one JSON array per person, parsed in one call:
 * about 1.5–2 s for 5M events here, see bench/analytics-bench.ts); a funnel pass over the columns then takes tens
 * to a couple of hundred milliseconds. Rowids, session ids and property values are loaded on demand and kept. A
 * store is valid while `getDataFingerprint(db)` is unchanged: the analytics engine rebuilds it after an import.
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
    lazy: new Map()
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
  return getLazy(store, 'rowids', () =>
    readConsistently(db, () => {
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
  )
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
  return getLazy(store, 'session-column', () => {
    const positionByRowid = getPositionByRowid(db, store)
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
    const positionByRowid = getPositionByRowid(db, store)
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
