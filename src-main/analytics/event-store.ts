import { EVENT_COLUMNS } from '../db/migrations/0007-event-columns'
import type { Statement } from 'better-sqlite3'
import type { ReadableDb } from '../db/types'
import type { SnapshotPart, SnapshotStore } from './store-snapshots'

/**
 * Every analytics event as columns in memory, grouped by person and sorted by time: what funnels and sessions scan.
 *
 * Loading reads only the `events_by_person_key` covering index (one JSON array per person, parsed in one call:
 * about 1.5–2 s for 5M events here, see bench/analytics-bench.ts); a funnel pass over the columns then takes tens
 * to a couple of hundred milliseconds. Rowids, session ids and property values are loaded on demand and kept. A
 * store is valid while `getDataFingerprint(db)` is unchanged: after an import the analytics engine updates it with
 * the events added (`updateEventStore`), or reads it again when the data changed in another way.
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
 *
 * An import run commits each file with its relink queued and relinks them all at the end, in a transaction that
 * changes no count but can move events to another person, or give one its person key: the queue's size (and how many
 * distinct ids it holds) and the count of events without a person key (an index range, empty outside that window)
 * tell the data before the relink from the data after it.
 */
export function getDataFingerprint(db: ReadableDb): string {
  const row = fingerprintStatement(db).get() as Record<string, number | null>
  return Object.values(row)
    .map((value) => String(value ?? 0))
    .join(':')
}

const FINGERPRINT_STATEMENTS = new WeakMap<ReadableDb, Statement>()

/**
 * The fingerprint's statement, prepared once per connection (every request asks for the fingerprint; preparing took
 * most of its time). A read-only cache older than the relink queue (migration 0004) has none queued.
 */
function fingerprintStatement(db: ReadableDb): Statement {
  let statement = FINGERPRINT_STATEMENTS.get(db)
  if (statement === undefined) {
    const queue = tableExists(db, 'relink_queue')
      ? `(SELECT count(*) FROM relink_queue) AS queued,
         (SELECT count(*) FROM relink_queue WHERE kind = 'distinct') AS queuedDistinctIds`
      : `0 AS queued, 0 AS queuedDistinctIds`
    statement = db.prepare(`SELECT (SELECT max(rowid) FROM events) AS maxEvent,
                    (SELECT count(*) FROM person_distinct_ids) AS distinctIds,
                    (SELECT count(*) FROM persons) AS persons,
                    (SELECT max(id) FROM imports) AS lastImport,
                    (SELECT max(finished_at_ms) FROM imports) AS lastFinished,
                    (SELECT max(rowid) FROM recordings) AS maxRecording,
                    (SELECT count(*) FROM exceptions) AS exceptions,
                    ${queue},
                    (SELECT count(*) FROM events WHERE person_key IS NULL) AS withoutPerson`)
    FINGERPRINT_STATEMENTS.set(db, statement)
  }
  return statement
}

/**
 * Reads every event into a new `EventStore`: from the snapshot of the current data when there is one, else by
 * updating `previous` (or the snapshot of earlier data) with the events imported since, else from the events (then
 * saved as a snapshot). `carryOver` carries other modules' cached values to an updated store.
 */
export function loadEventStore(
  db: ReadableDb,
  options: {
    snapshots?: SnapshotStore | null
    previous?: EventStore | null
    carryOver?: readonly CarryOver[]
  } = {}
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
  const previous = options.previous ?? readPreviousStore(snapshots, fingerprint)
  const updated = previous
    ? updateEventStore(db, previous, snapshots, options.carryOver ?? [])
    : null
  if (updated) return updated
  const store = readConsistently(db, () => readEventStore(db, getDataFingerprint(db), snapshots))
  writeSnapshot(store, STORE_KEY, encodeStore(store))
  return store
}

/**
 * Saves `parts` under `key` for the store's fingerprint; after what the store has not saved yet, if anything (an
 * updated store saves itself later, see `saveEventStore`, and its store entry must be the first of its fingerprint).
 */
export function writeSnapshot(store: EventStore, key: string, parts: SnapshotPart[]): void {
  deferSnapshot(store, key, () => parts)
}

/**
 * Saves what `encode` gives under `key` with the store's other pending saves (now, when it has none); undefined
 * saves nothing.
 */
export function deferSnapshot(
  store: EventStore,
  key: string,
  encode: () => SnapshotPart[] | undefined
): void {
  const pending = store.lazy.get(PENDING_KEY) as PendingSaves | undefined
  if (pending && pending.size > 0) pending.set(key, encode)
  else {
    const parts = encode()
    if (parts) store.snapshots?.write(key, store.fingerprint, parts)
  }
}

type PendingSaves = Map<string, () => SnapshotPart[] | undefined>

const PENDING_KEY = 'pending-saves'

/**
 * Saves what an updated store has not saved yet (the store, and each column carried over): at most `atMost`
 * entries; returns how many are left. An update leaves them for later, so the query that caused it does not wait
 * for hundreds of megabytes of writes: the worker's warm-up saves them one per step, between requests.
 */
export function saveEventStore(store: EventStore, atMost = Infinity): number {
  const pending = store.lazy.get(PENDING_KEY) as PendingSaves | undefined
  if (!pending) return 0
  // What is still to be carried over comes from the previous store's snapshots, which the first write drops.
  for (const key of [...(carriesOf(store)?.keys() ?? [])]) takeCarried(store, key)
  let saved = 0
  for (const [key, encode] of pending) {
    if (saved >= atMost) break
    pending.delete(key)
    const parts = encode()
    if (parts) store.snapshots?.write(key, store.fingerprint, parts)
    saved++
  }
  return pending.size
}

/** What an update passes to each `CarryOver`: how positions and `$session_id` codes moved. */
export type StoreUpdate = {
  previous: EventStore
  updated: EventStore
  /** Where the previous store's events went, and where the added ones are. */
  moves: StoreMoves
  /** The `$session_id` column carried over (merged on first call); null when the previous store had none. */
  sessions(): MergedSessions | null
}

/** The previous `$session_id` column over an updated store, and how its codes moved. */
export type MergedSessions = {
  column: SessionColumn
  /** New code of each previous code. */
  renumbered: Int32Array
  /** Previous codes that received added events. */
  touched: Set<number>
}

const CARRIES_KEY = 'carries'

/** What an update still has to carry over to its store: how to make each value, by key. */
type Carries = Map<string, () => unknown>

/** The carries of a store; undefined for a store not made by an update. */
function carriesOf(store: EventStore): Carries | undefined {
  return store.lazy.get(CARRIES_KEY) as Carries | undefined
}

/**
 * Leaves a value for an updated store to make when first asked for (`takeCarried`, `getLazy`), or when the store is
 * saved; nothing for a store not made by an update.
 */
export function carryLater(store: EventStore, key: string, carry: () => unknown): void {
  carriesOf(store)?.set(key, carry)
}

/**
 * A value an update carries over to the store and has not made yet (see updateEventStore): made now and kept;
 * undefined when there is none (or the previous store did not have it).
 */
export function takeCarried(store: EventStore, key: string): unknown {
  const carries = carriesOf(store)
  const carry = carries?.get(key)
  if (!carry) return undefined
  carries?.delete(key)
  const value = carry()
  if (value !== undefined) store.lazy.set(key, value)
  return value
}

/** Carries a cached value of another module (the session devices) from the previous store to an updated one. */
export type CarryOver = (update: StoreUpdate) => void

/** The store saved for other data (before the last import), when there is one this build can read. */
function readPreviousStore(
  snapshots: SnapshotStore | null,
  fingerprint: string
): EventStore | null {
  const previous = snapshots?.findFingerprint(STORE_KEY)
  if (!snapshots || previous === undefined || previous === fingerprint) return null
  const parts = snapshots.read(STORE_KEY, previous)
  if (!parts) return null
  try {
    return decodeStore(parts, previous, snapshots)
  } catch {
    return null
  }
}

/** The counts a fingerprint is made of, in `getDataFingerprint`'s order (NaN where an older build's lacks one). */
function parseFingerprint(fingerprint: string): {
  maxEvent: number
  distinctIds: number
  persons: number
  lastImport: number
  lastFinished: number
  queuedDistinctIds: number
} {
  const [maxEvent, distinctIds, persons, lastImport, lastFinished, , , , queuedDistinctIds = NaN] = fingerprint.split(':').map(Number)
  return { maxEvent, distinctIds, persons, lastImport, lastFinished, queuedDistinctIds }
}

type AddedEvent = [
  rowid: number,
  personKey: string | null,
  timestampMs: number,
  event: string,
  sessionId: string | null
]

/**
 * The store of the current data made from `previous` (a store of the data before the last imports) and the events
 * those imports added, with its rowids, `$session_id` column and extracted property columns carried over; null when
 * the data may have changed in any other way (the caller then reads every event again).
 *
 * An import only appends events (new rowids) unless it updates events it already had (the same uuid from a richer
 * source) or brings persons (a distinct id mapped to another person changes older events' person key). A recording
 * export brings its person too, which can map a distinct id to another person without changing any count (and its
 * import counts no persons): each import records how many distinct ids it mapped anew. So the update is taken only
 * when every import since is finished, brought no persons, mapped no distinct id, and stored exactly as many events
 * as there are new rowids; anything else (events written
 * outside an import, deletions, distinct ids waiting for their relink when the previous store was read) falls back
 * to the full read. Cost: proportional to the events added, plus one pass over the store's arrays.
 */
export function updateEventStore(
  db: ReadableDb,
  previous: EventStore,
  snapshots: SnapshotStore | null = previous.snapshots,
  carryOver: readonly CarryOver[] = []
): EventStore | null {
  if (previous.eventsWithoutPerson > 0 || previous.reordered.size > 0) return null
  const oldRowids = findSaved(previous, 'rowids', rowidsCodec(previous))
  if (!oldRowids) return null
  return readConsistently(db, () => {
    const fingerprint = getDataFingerprint(db)
    const before = parseFingerprint(previous.fingerprint)
    const now = parseFingerprint(fingerprint)
    if (
      // Distinct ids were waiting for their relink when the previous store was read: it may have moved events since.
      before.queuedDistinctIds !== 0 ||
      now.maxEvent < before.maxEvent ||
      now.distinctIds !== before.distinctIds ||
      now.persons !== before.persons ||
      now.lastImport < before.lastImport
    ) {
      return null
    }
    const imports = db
      .prepare(
        `SELECT count(*) FILTER (WHERE status NOT IN ('imported', 'unchanged', 'failed')) AS open,
                coalesce(sum(events) FILTER (WHERE status = 'imported'), 0) AS events,
                coalesce(sum(persons) FILTER (WHERE status = 'imported'), 0) AS persons,
                coalesce(sum(remapped_distinct_ids) FILTER (WHERE status = 'imported'), 0) AS remapped
         FROM imports WHERE id > ? OR finished_at_ms > ?`
      )
      // The imports since the previous store: a later id, or a later finish (an import that took the id of one
      // forgotten since: a folder sync forgets the imports of the files it prunes).
      .get(before.lastImport, before.lastFinished) as {
      open: number
      events: number
      persons: number
      remapped: number
    }
    if (imports.open > 0 || imports.persons > 0 || imports.remapped > 0) return null
    const added = db
      .prepare(
        `SELECT rowid, person_key, timestamp_ms, event, session_id FROM events WHERE rowid > ? ORDER BY rowid`
      )
      .raw()
      .all(before.maxEvent) as AddedEvent[]
    if (added.length !== imports.events) return null
    const { store, moves } = mergeAddedEvents(previous, oldRowids, added, fingerprint, snapshots)
    const pending: PendingSaves = new Map([
      [STORE_KEY, () => encodeStore(store)],
      ['rowids', () => rowidsCodec(store).encode(getRowids(db, store))]
    ])
    store.lazy.set(PENDING_KEY, pending)
    // A column is saved with the store when it has one by then (carried over, or built by a request meanwhile).
    const saveColumn = <T>(key: string, codec: SnapshotCodec<T>) =>
      pending.set(key, () => {
        const column = findSaved(store, key, codec)
        return column === undefined ? undefined : codec.encode(column)
      })
    // The columns are carried over when first asked for (a funnel needs one or two; the warm-up asks for the rest
    // between requests), from the previous store's memory or snapshots: saving the updated store saves them first.
    const carries: Carries = new Map()
    store.lazy.set(CARRIES_KEY, carries)
    let merged: MergedSessions | null | undefined
    const sessions = (): MergedSessions | null => {
      if (merged === undefined) {
        const old = findSaved(previous, SESSION_KEY, sessionCodec(previous))
        merged = old ? mergeSessions(old, moves, added) : null
      }
      return merged
    }
    carries.set(SESSION_KEY, () => sessions()?.column)
    saveColumn(SESSION_KEY, sessionCodec(store))
    // Added rowids are consecutive only without gaps; index them by their offset from the first one.
    const base = added.length > 0 ? added[0][0] : 0
    const span = added.length > 0 ? added[added.length - 1][0] - base + 1 : 0
    const positionByOffset = new Int32Array(span).fill(-1)
    added.forEach(([rowid], k) => (positionByOffset[rowid - base] = moves.addedAt[k]))
    for (const property of EXTRACTED_COLUMN.keys()) {
      const key = propertyKey(null, property)
      carries.set(key, () => {
        const old = findSaved(previous, key, propertyCodec(previous))
        if (!old || !hasEventColumns(db, store)) return undefined
        const builder = carryColumn(old, moves)
        readConsistently(db, () =>
          readExtractedColumns(db, positionByOffset, [property], [builder], before.maxEvent, base)
        )
        return finishColumn(builder)
      })
      saveColumn(key, propertyCodec(store))
    }
    const update: StoreUpdate = { previous, updated: store, moves, sessions }
    for (const carry of carryOver) carry(update)
    return store
  })
}

/** How the positions of a store moved in an update. */
export type StoreMoves = {
  /** The updated store's event count. */
  size: number
  /** Runs of the previous store's events, as triples: position in the updated store, in the previous one, length. */
  runs: Int32Array
  /** The updated store's position of each added event; -1 for one without a person key (left out). */
  addedAt: Int32Array
}

/** A column of the previous store (one Int32 per event) at the updated store's positions; added events get -1. */
export function moveColumn(previous: Int32Array, moves: StoreMoves): Int32Array {
  const moved = new Int32Array(moves.size).fill(-1)
  const { runs } = moves
  for (let r = 0; r < runs.length; r += 3) {
    moved.set(previous.subarray(runs[r + 1], runs[r + 1] + runs[r + 2]), runs[r])
  }
  return moved
}

/**
 * The previous store's events with the added ones merged into each person's slice, in the order a full read gives
 * (person key, then time, event name and rowid, as the covering index sorts them), with the rowids of every
 * position. Event codes of the previous store are kept; new names get the next codes.
 */
function mergeAddedEvents(
  previous: EventStore,
  oldRowids: Float64Array,
  added: readonly AddedEvent[],
  fingerprint: string,
  snapshots: SnapshotStore | null
): { store: EventStore; moves: StoreMoves } {
  const byPerson = new Map<string, number[]>()
  let withoutPerson = 0
  added.forEach((row, k) => {
    const key = row[1]
    if (key === null) {
      withoutPerson++
      return
    }
    const list = byPerson.get(key)
    if (list) list.push(k)
    else byPerson.set(key, [k])
  })
  const eventNames = [...previous.eventNames]
  const codeByName = new Map(previous.codeByName)
  const codeOf = (name: string): number => {
    let code = codeByName.get(name)
    if (code === undefined) {
      code = eventNames.length
      eventNames.push(name)
      codeByName.set(name, code)
    }
    return code
  }
  // Persons the added events go to: previous ones (by index) and new keys (by where they go in between).
  const touchedOld: number[] = []
  const newKeys: string[] = []
  for (const key of byPerson.keys()) {
    const p = findPerson(previous, key)
    if (p >= 0) touchedOld.push(p)
    else newKeys.push(key)
  }
  touchedOld.sort((a, b) => a - b)
  newKeys.sort(compareBinary)
  const insertAt = newKeys.map((key) => lowerBound(previous.personKeys, key))
  const total = previous.timestampMs.length + added.length - withoutPerson
  const timestampMs = new Float64Array(total)
  const eventCode = new Int32Array(total)
  const rowids = new Float64Array(total)
  const runs: number[] = []
  const addedAt = new Int32Array(added.length).fill(-1)
  // The run being extended: previous events copied in order, without an added one in between.
  let runTo = 0
  let runFrom = 0
  let runLength = 0
  const copyOld = (to: number, from: number, length: number) => {
    if (length === 0) return
    if (runLength > 0 && runTo + runLength === to && runFrom + runLength === from) {
      runLength += length
      return
    }
    if (runLength > 0) runs.push(runTo, runFrom, runLength)
    runTo = to
    runFrom = from
    runLength = length
  }
  const personCount = previous.personKeys.length + newKeys.length
  const personKeys: string[] = new Array(personCount)
  const personStart = new Int32Array(personCount + 1)
  const {
    timestampMs: oldTs,
    eventCode: oldCode,
    eventNames: oldNames,
    personStart: oldStart
  } = previous
  const oldPersons = previous.personKeys.length
  let n = 0
  let person = 0
  let p = 0
  let q = 0
  let t = 0
  while (p < oldPersons || q < newKeys.length) {
    // Previous persons up to the next one with added events (or a new key) are copied as one block.
    const stop = Math.min(
      t < touchedOld.length ? touchedOld[t] : oldPersons,
      q < newKeys.length ? insertAt[q] : oldPersons
    )
    if (stop > p) {
      const from = oldStart[p]
      const length = oldStart[stop] - from
      timestampMs.set(oldTs.subarray(from, from + length), n)
      eventCode.set(oldCode.subarray(from, from + length), n)
      rowids.set(oldRowids.subarray(from, from + length), n)
      copyOld(n, from, length)
      for (let k = p; k < stop; k++) {
        personKeys[person] = previous.personKeys[k]
        personStart[person++] = oldStart[k] - from + n
      }
      n += length
      p = stop
      continue
    }
    const isNew = q < newKeys.length && insertAt[q] === p
    const key = isNew ? newKeys[q++] : previous.personKeys[p]
    personKeys[person] = key
    personStart[person++] = n
    let i = isNew ? 0 : oldStart[p]
    const end = isNew ? 0 : oldStart[p + 1]
    if (!isNew) {
      p++
      t++
    }
    const fresh = byPerson.get(key) as number[]
    fresh.sort((a, b) => compareAdded(added[a], added[b]))
    let j = 0
    while (i < end || j < fresh.length) {
      // Ties on time and name: the previous event first (its rowid is lower).
      const oldFirst =
        j >= fresh.length ||
        (i < end &&
          (oldTs[i] < added[fresh[j]][2] ||
            (oldTs[i] === added[fresh[j]][2] &&
              compareBinary(oldNames[oldCode[i]], added[fresh[j]][3]) <= 0)))
      if (oldFirst) {
        timestampMs[n] = oldTs[i]
        eventCode[n] = oldCode[i]
        rowids[n] = oldRowids[i]
        copyOld(n, i, 1)
        i++
      } else {
        const row = added[fresh[j]]
        timestampMs[n] = row[2]
        eventCode[n] = codeOf(row[3])
        rowids[n] = row[0]
        addedAt[fresh[j]] = n
        j++
      }
      n++
    }
  }
  personStart[person] = n
  if (runLength > 0) runs.push(runTo, runFrom, runLength)
  const store: EventStore = {
    fingerprint,
    personKeys,
    personStart,
    timestampMs,
    eventCode,
    eventNames,
    codeByName,
    eventsWithoutPerson: withoutPerson,
    reordered: new Map(),
    lazy: new Map<string, unknown>([['rowids', rowids]]),
    snapshots
  }
  return { store, moves: { size: total, runs: Int32Array.from(runs), addedAt } }
}

function compareAdded(a: AddedEvent, b: AddedEvent): number {
  return a[2] - b[2] || compareBinary(a[3], b[3]) || a[0] - b[0]
}

/**
 * Orders strings as SQLite's BINARY collation does (by their UTF-8 bytes, that is by code point), which differs
 * from JavaScript's `<` only between a surrogate pair and a character from U+E000 up.
 */
export function compareBinary(a: string, b: string): number {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    if (x < 0xd800 && y < 0xd800) return x - y
    return (a.codePointAt(i) as number) - (b.codePointAt(i) as number)
  }
  return a.length - b.length
}

/** The previous `$session_id` column over an updated store: session ids merged in order, codes renumbered. */
function mergeSessions(
  previous: SessionColumn,
  moves: StoreMoves,
  added: readonly AddedEvent[]
): MergedSessions {
  const touched = new Set<number>()
  const freshIds = new Set<string>()
  // Added events come a session at a time: each id is looked up once.
  const looked = new Map<string, number>()
  for (const row of added) {
    const id = row[4]
    if (id === null || looked.has(id)) continue
    const old = binarySearch(previous.sessionIds, id)
    looked.set(id, old)
    if (old >= 0) touched.add(old)
    else freshIds.add(id)
  }
  const fresh = [...freshIds].sort(compareBinary)
  // Each new id goes in before the previous ids from its lower bound on: the previous ids move by blocks.
  const old = previous.sessionIds
  const sessionIds: string[] = new Array(old.length + fresh.length)
  const renumbered = new Int32Array(old.length)
  const codeOf = new Map<string, number>()
  let from = 0
  for (let j = 0; j <= fresh.length; j++) {
    const to = j < fresh.length ? lowerBound(old, fresh[j]) : old.length
    for (let i = from; i < to; i++) {
      renumbered[i] = i + j
      sessionIds[i + j] = old[i]
    }
    if (j < fresh.length) {
      codeOf.set(fresh[j], to + j)
      sessionIds[to + j] = fresh[j]
    }
    from = to
  }
  const sessionOf = moveColumn(previous.sessionOf, moves)
  if (fresh.length > 0) {
    for (let position = 0; position < sessionOf.length; position++) {
      const code = sessionOf[position]
      if (code >= 0) sessionOf[position] = renumbered[code]
    }
  }
  added.forEach((row, k) => {
    const id = row[4]
    const position = moves.addedAt[k]
    if (id === null || position < 0) return
    const code = codeOf.get(id) ?? renumbered[looked.get(id) as number]
    sessionOf[position] = code
  })
  return { column: { sessionIds, sessionOf }, renumbered, touched }
}

/** The index of the first string not below `value` (in SQLite's order). */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (compareBinary(sorted[mid], value) < 0) low = mid + 1
    else high = mid
  }
  return low
}

/** The index of `value` in strings sorted in SQLite's order; -1 when absent. */
function binarySearch(sorted: readonly string[], value: string): number {
  const index = lowerBound(sorted, value)
  return index < sorted.length && sorted[index] === value ? index : -1
}

/** A column builder over an updated store holding the previous column's values at their new positions. */
function carryColumn(previous: PropertyColumn, moves: StoreMoves): ColumnBuilder {
  return {
    values: [...previous.values],
    valueOf: moveColumn(previous.valueOf, moves),
    codeOf: new Map(previous.values.map((value, code) => [value, code]))
  }
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

/**
 * Binary search for a person key; -1 when absent. The keys are in SQLite's order, which `<` does not follow for every
 * character (see compareBinary).
 */
export function findPerson(store: EventStore, personKey: string): number {
  return binarySearch(store.personKeys, personKey)
}

/** A value cached in the store, built on first use. */
export function getLazy<T>(store: EventStore, key: string, build: () => T): T {
  const existing = store.lazy.get(key) ?? takeCarried(store, key)
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
    if (current) writeSnapshot(store, key, codec.encode(value))
    return value
  })
}

/** A value from memory or from the store's snapshot, without building it; undefined when neither has it. */
function findSaved<T>(store: EventStore, key: string, codec: SnapshotCodec<T>): T | undefined {
  const existing = store.lazy.get(key) ?? takeCarried(store, key)
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

/** Where the `$session_id` column is kept in a store's `lazy` and in its snapshots. */
export const SESSION_KEY = 'session-column'

/** Each event's `$session_id`, read from the `events_by_session` covering index. */
export function getSessionColumn(db: ReadableDb, store: EventStore): SessionColumn {
  const codec = sessionCodec(store)
  const saved = findSaved(store, SESSION_KEY, codec)
  if (saved) return saved
  // Rowids first: they are read (and saved) in a transaction of their own.
  const positionByRowid = getPositionByRowid(db, store)
  return getPersisted(db, store, SESSION_KEY, codec, () => {
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
          ? readExtractedColumns(
              db,
              positionByRowid,
              extracted,
              extracted.map(() => newColumnBuilder(store))
            )
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
      if (current) writeSnapshot(store, key, codec.encode(columns[i]))
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
 * Extracted properties of every event (or of the events after `afterRowid`), from `event_columns`, set into
 * `columns`: the same values `readPropertyColumns` gives. `positionByRowid` is indexed by rowid minus `base`.
 *
 * Rows cross into JS in blocks (one JSON array per column per block of rowids): one row per event would cost more
 * than the reading (about 7 s for 5M events here, against about 1–2 s in blocks).
 */
function readExtractedColumns(
  db: ReadableDb,
  positionByRowid: Int32Array,
  properties: readonly string[],
  columns: ColumnBuilder[],
  afterRowid = -Infinity,
  base = 0
): PropertyColumn[] {
  const names = properties.map((property) => EXTRACTED_COLUMN.get(property) as string)
  const statement = db
    .prepare(
      `SELECT json_group_array(rowid), ${names.map((name) => `json_group_array(${name})`).join(', ')}
       FROM (SELECT rowid, ${names.join(', ')} FROM event_columns WHERE rowid > ? ORDER BY rowid LIMIT ?)`
    )
    .raw()
  let after = afterRowid
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
        const offset = ids[i] - base
        const position =
          offset >= 0 && offset < positionByRowid.length ? positionByRowid[offset] : -1
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
