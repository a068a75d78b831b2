import type {
  DeviceInfo,
  MultiDevicePerson,
  SessionFilter,
  SessionListQuery,
  SessionPage,
  SessionQuery,
  SessionStats,
  SessionSummary
} from '@shared/analytics'
import type { PersonId, RecordingId } from '@shared/domain'
import { getDevicePropertiesOfEvents } from '../db/event-queries'
import {
  getPersonProfiles,
  getRecordingSpans,
  listPersonRecordingsOverlapping
} from '../db/person-queries'
import type { ReadableDb } from '../db/types'
import {
  average,
  COUNT_EDGES,
  DURATION_EDGES_SECONDS,
  fillDays,
  formatDay,
  histogram,
  percentile,
  percentiles,
  sortedCopy
} from './distribution'
import {
  carryLater,
  getDataFingerprint,
  getPropertyColumn,
  getRowids,
  getSessionColumn,
  deferSnapshot,
  hasEventColumns,
  SESSION_KEY,
  takeCarried,
  writeSnapshot,
  type EventStore,
  type SessionColumn,
  type StoreUpdate
} from './event-store'
import type { SnapshotPart } from './store-snapshots'

const DAY_MS = 86_400_000
/** PostHog's inactivity timeout, used for "within the gap" when sessions are not defined by a gap. */
const DEFAULT_GAP_MS = 30 * 60_000
const BOUNCE_DURATION_MS = 10_000
const DEVICES_KEY = 'session-devices'

/** Sessions as parallel columns (one entry per session), in the order they were found. */
export type SessionTable = {
  query: SessionQuery
  store: EventStore
  keys: string[]
  person: Int32Array
  startMs: Float64Array
  endMs: Float64Array
  events: Int32Array
  pageviews: Int32Array
  /** $pageview + $screen + $autocapture events: what PostHog's bounce test counts. */
  interactions: Int32Array
  /** Store position of the session's first event. */
  firstPosition: Int32Array
  eventsInRange: number
  eventsWithoutSession: number
  elapsedMs: number
}

/**
 * Groups the events into sessions: by `$session_id`, by an inactivity gap per person, or by a named property.
 *
 * A session belongs to the person of its first event. Events outside [fromMs, toMs] are left out.
 */
export function buildSessionTable(
  db: ReadableDb,
  store: EventStore,
  query: SessionQuery
): SessionTable {
  const startedAt = performance.now()
  const { timestampMs: ts, eventCode } = store
  const fromMs = query.fromMs ?? -Infinity
  const toMs = query.toMs ?? Infinity
  const pageviewCode = store.codeByName.get('$pageview') ?? -1
  const screenCode = store.codeByName.get('$screen') ?? -1
  const autocaptureCode = store.codeByName.get('$autocapture') ?? -1

  const keys: string[] = []
  const person: number[] = []
  const startMs: number[] = []
  const endMs: number[] = []
  const events: number[] = []
  const pageviews: number[] = []
  const interactions: number[] = []
  const firstPosition: number[] = []
  let eventsInRange = 0
  let eventsWithoutSession = 0

  const add = (session: number, p: number, i: number): void => {
    const t = ts[i]
    if (session === keys.length) {
      person.push(p)
      startMs.push(t)
      endMs.push(t)
      events.push(0)
      pageviews.push(0)
      interactions.push(0)
      firstPosition.push(i)
    } else {
      if (t < startMs[session]) {
        startMs[session] = t
        firstPosition[session] = i
        person[session] = p
      }
      if (t > endMs[session]) endMs[session] = t
    }
    events[session]++
    const code = eventCode[i]
    if (code === pageviewCode) pageviews[session]++
    if (code === pageviewCode || code === screenCode || code === autocaptureCode)
      interactions[session]++
  }

  const definition = query.definition
  if (definition.kind === 'gap') {
    for (let p = 0; p < store.personKeys.length; p++) {
      let current = -1
      let lastMs = -Infinity
      for (let i = store.personStart[p]; i < store.personStart[p + 1]; i++) {
        const t = ts[i]
        if (t < fromMs || t > toMs) continue
        eventsInRange++
        if (current < 0 || t - lastMs > definition.gapMs) {
          current = keys.length
          add(current, p, i)
          keys.push(`${store.personKeys[p]}@${t}`)
        } else add(current, p, i)
        lastMs = t
      }
    }
  } else {
    const column =
      definition.kind === 'session-id'
        ? (() => {
            const sessions = getSessionColumn(db, store)
            return { of: sessions.sessionOf, names: sessions.sessionIds }
          })()
        : (() => {
            const values = getPropertyColumn(db, store, null, definition.property)
            return { of: values.valueOf, names: values.values }
          })()
    const sessionIndex = new Int32Array(column.names.length).fill(-1)
    for (let p = 0; p < store.personKeys.length; p++) {
      for (let i = store.personStart[p]; i < store.personStart[p + 1]; i++) {
        const t = ts[i]
        if (t < fromMs || t > toMs) continue
        eventsInRange++
        const value = column.of[i]
        if (value < 0) {
          eventsWithoutSession++
          continue
        }
        let session = sessionIndex[value]
        if (session < 0) {
          session = keys.length
          sessionIndex[value] = session
          add(session, p, i)
          keys.push(column.names[value])
        } else add(session, p, i)
      }
    }
  }
  return {
    query,
    store,
    keys,
    person: Int32Array.from(person),
    startMs: Float64Array.from(startMs),
    endMs: Float64Array.from(endMs),
    events: Int32Array.from(events),
    pageviews: Int32Array.from(pageviews),
    interactions: Int32Array.from(interactions),
    firstPosition: Int32Array.from(firstPosition),
    eventsInRange,
    eventsWithoutSession,
    elapsedMs: performance.now() - startedAt
  }
}

/** PostHog's `$is_bounce`: null without any pageview, screen or autocapture. */
function isBounce(table: SessionTable, s: number): boolean | null {
  if (table.interactions[s] === 0) return null
  return table.interactions[s] <= 1 && table.endMs[s] - table.startMs[s] < BOUNCE_DURATION_MS
}

/** The devices looked up so far, dictionary-coded, shared by every session definition over one store. */
type DeviceTable = {
  /** Device code of each `$session_id` session (index into `devices`); -1 until looked up. */
  ofSession: Int32Array
  /** Device code by rowid, for sessions whose first event has no `$session_id`. */
  ofRowid: Map<number, number>
  devices: DeviceInfo[]
  /** Per device code: a code of its `deviceKey` (equal codes, same device); -1 when nothing is known. */
  keyOf: number[]
  codeOfDevice: Map<string, number>
  codeOfKey: Map<string, number>
}

/** Device codes of table sessions (-1 where unknown) and what the codes stand for. */
type SessionDevices = { codeOf: Int32Array; table: DeviceTable }

/**
 * The device of each session: the device properties of the first event of the `$session_id` session its first event
 * belongs to (or of that event itself when it has no session id). Looked up by rowid, kept per store (and saved with
 * its snapshots), so every session definition shares the lookups.
 */
function getSessionDevices(
  db: ReadableDb,
  table: SessionTable,
  sessions: Iterable<number>
): SessionDevices {
  const store = table.store
  const column = getSessionColumn(db, store)
  const devices = getDeviceTable(store, column.sessionIds.length)
  const codeOf = new Int32Array(table.keys.length).fill(-1)
  let firstOfSession: Int32Array | null = null
  let rowids: Float64Array | null = null
  const wanted = new Map<number, number[]>()
  for (const s of sessions) {
    const position = table.firstPosition[s]
    const session = column.sessionOf[position]
    const known = session >= 0 ? devices.ofSession[session] : -1
    if (known >= 0) {
      codeOf[s] = known
      continue
    }
    rowids ??= getRowids(db, store)
    if (session < 0) {
      const code = devices.ofRowid.get(rowids[position])
      if (code !== undefined) {
        codeOf[s] = code
        continue
      }
    }
    firstOfSession ??= getSessionFirstPositions(store, column.sessionOf, column.sessionIds.length)
    const rowid = rowids[session >= 0 ? firstOfSession[session] : position]
    const list = wanted.get(rowid)
    if (list) list.push(s)
    else wanted.set(rowid, [s])
  }
  if (wanted.size === 0) return { codeOf, table: devices }
  const found = hasEventColumns(db, store)
    ? readDevicesOfEvents(db, [...wanted.keys()])
    : getDevicePropertiesOfEvents(db, [...wanted.keys()])
  for (const [rowid, list] of wanted) {
    const device = found.get(rowid)
    if (!device) continue
    const code = codeDevice(devices, device)
    for (const s of list) {
      codeOf[s] = code
      const position = table.firstPosition[s]
      const session = column.sessionOf[position]
      if (session >= 0) devices.ofSession[session] = code
      else devices.ofRowid.set((rowids as Float64Array)[position], code)
    }
  }
  if (found.size > 0 && store.snapshots && getDataFingerprint(db) === store.fingerprint) {
    writeSnapshot(store, DEVICES_KEY, encodeDevices(devices))
  }
  return { codeOf, table: devices }
}

/**
 * The device properties of each rowid given, from `event_columns` (no JSON to parse). Rows where some extracted
 * value is not a JSON string (`other`), or missing there, are read from the JSON as before, so a number or a boolean
 * reads the same as SQLite's `->>` gives it.
 */
export function readDevicesOfEvents(
  db: ReadableDb,
  rowids: readonly number[]
): Map<number, DeviceInfo> {
  const result = new Map<number, DeviceInfo>()
  const fromJson: number[] = []
  const statement = db
    .prepare(
      `SELECT c.rowid, c.other, c.device_id, c.device_type, c.browser, c.os
       FROM json_each(?) j JOIN event_columns c ON c.rowid = j.value`
    )
    .raw()
  for (let i = 0; i < rowids.length; i += 5000) {
    const batch = rowids.slice(i, i + 5000)
    for (const row of statement.all(JSON.stringify(batch)) as DeviceColumnsRow[]) {
      if (row[1] !== 0) continue
      result.set(row[0], {
        deviceId: row[2] || null,
        deviceType: row[3] || null,
        browser: row[4] || null,
        os: row[5] || null
      })
    }
    for (const rowid of batch) if (!result.has(rowid)) fromJson.push(rowid)
  }
  if (fromJson.length > 0) {
    for (const [rowid, device] of getDevicePropertiesOfEvents(db, fromJson))
      result.set(rowid, device)
  }
  return result
}

type DeviceColumnsRow = [
  rowid: number,
  other: number,
  deviceId: string | null,
  deviceType: string | null,
  browser: string | null,
  os: string | null
]

function codeDevice(table: DeviceTable, device: DeviceInfo): number {
  const text = JSON.stringify([device.deviceId, device.deviceType, device.browser, device.os])
  let code = table.codeOfDevice.get(text)
  if (code !== undefined) return code
  code = table.devices.length
  table.devices.push(device)
  table.codeOfDevice.set(text, code)
  const key = deviceKey(device)
  let keyCode = -1
  if (key !== null) {
    keyCode = table.codeOfKey.get(key) ?? table.codeOfKey.size
    table.codeOfKey.set(key, keyCode)
  }
  table.keyOf.push(keyCode)
  return code
}

function getDeviceTable(store: EventStore, sessionCount: number): DeviceTable {
  const cached = (store.lazy.get(DEVICES_KEY) ?? takeCarried(store, DEVICES_KEY)) as
    DeviceTable | undefined
  if (cached) return cached
  const table: DeviceTable = {
    ofSession: new Int32Array(sessionCount).fill(-1),
    ofRowid: new Map(),
    devices: [],
    keyOf: [],
    codeOfDevice: new Map(),
    codeOfKey: new Map()
  }
  readSavedDevices(store, table)
  store.lazy.set(DEVICES_KEY, table)
  return table
}

/**
 * Carries the devices looked up for the previous store over to a store updated from it (a `CarryOver`): a session
 * keeps its device unless the import added events to it (its first event may be another now); devices by rowid
 * stay. Without it, the first session statistics after an import would look up every session's device again.
 */
export function carrySessionDevices(update: StoreUpdate): void {
  const { previous, updated } = update
  const oldColumn = previous.lazy.get(SESSION_KEY) as SessionColumn | undefined
  // Read now: the previous store's snapshots are gone once the updated store is saved.
  const before =
    ((previous.lazy.get(DEVICES_KEY) ?? takeCarried(previous, DEVICES_KEY)) as
      DeviceTable | undefined) ??
    (oldColumn
      ? getDeviceTable(previous, oldColumn.sessionIds.length)
      : readDeviceSnapshot(previous))
  if (!before) return
  carryLater(updated, DEVICES_KEY, () => {
    const merged = update.sessions()
    if (!merged || before.ofSession.length !== merged.renumbered.length) return undefined
    const table: DeviceTable = {
      ofSession: new Int32Array(merged.column.sessionIds.length).fill(-1),
      ofRowid: new Map(before.ofRowid),
      devices: before.devices,
      keyOf: before.keyOf,
      codeOfDevice: before.codeOfDevice,
      codeOfKey: before.codeOfKey
    }
    for (let session = 0; session < merged.renumbered.length; session++) {
      if (!merged.touched.has(session))
        table.ofSession[merged.renumbered[session]] = before.ofSession[session]
    }
    return table
  })
  deferSnapshot(updated, DEVICES_KEY, () => {
    const table = (updated.lazy.get(DEVICES_KEY) ?? takeCarried(updated, DEVICES_KEY)) as
      DeviceTable | undefined
    return table && encodeDevices(table)
  })
}

/** The device table saved for a store, whatever its session count (checked when it is used). */
function readDeviceSnapshot(store: EventStore): DeviceTable | null {
  const parts = store.snapshots?.read(DEVICES_KEY, store.fingerprint)
  const ofSession = parts?.[0]
  if (!(ofSession instanceof Int32Array)) return null
  const table = getDeviceTable(store, ofSession.length)
  return table.devices.length > 0 || table.ofRowid.size > 0 ? table : null
}

/** The device table as parts: codes per session, the rowid fallbacks, the devices. */
function encodeDevices(table: DeviceTable): SnapshotPart[] {
  return [
    table.ofSession,
    Float64Array.from(table.ofRowid.keys()),
    Int32Array.from(table.ofRowid.values()),
    { json: table.devices.map((d) => [d.deviceId, d.deviceType, d.browser, d.os]) }
  ]
}

/** Fills an empty device table from the store's snapshot, when it has one that fits. */
function readSavedDevices(store: EventStore, table: DeviceTable): void {
  const parts = store.snapshots?.read(DEVICES_KEY, store.fingerprint)
  if (!parts) return
  const [ofSession, rowids, codes, devices] = parts
  if (
    !(ofSession instanceof Int32Array) ||
    ofSession.length !== table.ofSession.length ||
    !(rowids instanceof Float64Array) ||
    !(codes instanceof Int32Array) ||
    codes.length !== rowids.length ||
    !(devices && 'json' in devices && Array.isArray(devices.json))
  ) {
    return
  }
  const list = devices.json as (string | null)[][]
  for (const [deviceId, deviceType, browser, os] of list) {
    codeDevice(table, { deviceId, deviceType, browser, os })
  }
  if (table.devices.length !== list.length) return
  table.ofSession.set(ofSession)
  rowids.forEach((rowid, i) => table.ofRowid.set(rowid, codes[i]))
}

/** The position of the earliest event of each `$session_id` session (cached in the store). */
function getSessionFirstPositions(
  store: EventStore,
  sessionOf: Int32Array,
  sessionCount: number
): Int32Array {
  const cached = store.lazy.get('session-first-position') as Int32Array | undefined
  if (cached) return cached
  const first = new Int32Array(sessionCount).fill(-1)
  const ts = store.timestampMs
  for (let i = 0; i < sessionOf.length; i++) {
    const session = sessionOf[i]
    if (session >= 0 && (first[session] < 0 || ts[i] < ts[first[session]])) first[session] = i
  }
  store.lazy.set('session-first-position', first)
  return first
}

/** The key that tells devices apart: `$device_id`, else type / OS / browser; null when nothing is known. */
export function deviceKey(device: DeviceInfo | undefined): string | null {
  if (!device) return null
  if (device.deviceId) return `id:${device.deviceId}`
  if (device.deviceType || device.os || device.browser)
    return `ua:${device.deviceType}|${device.os}|${device.browser}`
  return null
}

/** Session figures: counts per day, duration distribution, pageviews, bounce rate, sessions per person, devices. */
export function computeSessionStats(
  db: ReadableDb,
  store: EventStore,
  query: SessionQuery
): SessionStats {
  const startedAt = performance.now()
  const table = buildSessionTable(db, store, query)
  const n = table.keys.length
  const durationsSeconds: number[] = new Array(n)
  const pageviewCounts: number[] = new Array(n)
  const perDay = new Map<number, number>()
  const perPerson = new Map<number, number[]>()
  let bounced = 0
  let eligible = 0
  let pageviewTotal = 0
  for (let s = 0; s < n; s++) {
    durationsSeconds[s] = (table.endMs[s] - table.startMs[s]) / 1000
    pageviewCounts[s] = table.pageviews[s]
    pageviewTotal += table.pageviews[s]
    const day = Math.floor(table.startMs[s] / DAY_MS)
    perDay.set(day, (perDay.get(day) ?? 0) + 1)
    const list = perPerson.get(table.person[s])
    if (list) list.push(s)
    else perPerson.set(table.person[s], [s])
    const bounce = isBounce(table, s)
    if (bounce !== null) {
      eligible++
      if (bounce) bounced++
    }
  }

  const multiDevice = findMultiDevicePersons(db, table, perPerson)
  const sessionsPerPerson = [...perPerson.values()].map((list) => list.length)
  return {
    definition: query.definition,
    sessions: n,
    persons: perPerson.size,
    events: table.eventsInRange - table.eventsWithoutSession,
    eventsWithoutSession: table.eventsWithoutSession,
    perDay: fillDays(perDay),
    duration: {
      averageSeconds: average(durationsSeconds),
      percentilesSeconds: percentiles(durationsSeconds),
      histogram: histogram(durationsSeconds, DURATION_EDGES_SECONDS)
    },
    pageviews: {
      total: pageviewTotal,
      averagePerSession: average(pageviewCounts),
      medianPerSession: percentile(sortedCopy(pageviewCounts), 0.5),
      histogram: histogram(pageviewCounts, COUNT_EDGES)
    },
    bounce: { bounced, eligible, rate: eligible > 0 ? bounced / eligible : 0 },
    sessionsPerPerson: {
      average: average(sessionsPerPerson),
      median: percentile(sortedCopy(sessionsPerPerson), 0.5),
      histogram: histogram(sessionsPerPerson, COUNT_EDGES.slice(1))
    },
    multiDevice,
    computedInMs: Math.round(performance.now() - startedAt)
  }
}

function findMultiDevicePersons(
  db: ReadableDb,
  table: SessionTable,
  perPerson: Map<number, number[]>
): SessionStats['multiDevice'] {
  const candidates: number[] = []
  for (const list of perPerson.values()) if (list.length > 1) candidates.push(...list)
  const { codeOf, table: devices } = getSessionDevices(db, table, candidates)
  const keyOf = (s: number): number => (codeOf[s] < 0 ? -1 : devices.keyOf[codeOf[s]])
  const gapMs =
    table.query.definition.kind === 'gap' ? table.query.definition.gapMs : DEFAULT_GAP_MS
  const found: { person: number; devices: DeviceInfo[]; sessions: number; concurrent: boolean }[] =
    []
  for (const [p, list] of perPerson) {
    if (list.length < 2) continue
    const byKey = new Map<number, DeviceInfo>()
    for (const s of list) {
      const key = keyOf(s)
      if (key >= 0 && !byKey.has(key)) byKey.set(key, devices.devices[codeOf[s]])
    }
    if (byKey.size < 2) continue
    const ordered = [...list].sort((a, b) => table.startMs[a] - table.startMs[b])
    let concurrent = false
    for (let i = 0; i < ordered.length && !concurrent; i++) {
      const a = ordered[i]
      const keyA = keyOf(a)
      for (let j = i + 1; j < ordered.length; j++) {
        const b = ordered[j]
        if (table.startMs[b] - table.endMs[a] > gapMs) break
        const keyB = keyOf(b)
        if (keyA >= 0 && keyB >= 0 && keyA !== keyB) {
          concurrent = true
          break
        }
      }
    }
    found.push({ person: p, devices: [...byKey.values()], sessions: list.length, concurrent })
  }
  const store = table.store
  found.sort((a, b) => (store.personKeys[a.person] < store.personKeys[b.person] ? -1 : 1))
  const profiles = getPersonProfiles(
    db,
    found.map((f) => store.personKeys[f.person])
  )
  const list: MultiDevicePerson[] = found.map((f) => ({
    personId: store.personKeys[f.person] as PersonId,
    email: profiles.get(store.personKeys[f.person])?.email ?? null,
    devices: f.devices,
    sessions: f.sessions,
    concurrent: f.concurrent
  }))
  return { persons: list.length, concurrentPersons: list.filter((p) => p.concurrent).length, list }
}

/** Lists the sessions behind one figure of the stats, newest first, with their recordings. */
export function listSessions(
  db: ReadableDb,
  store: EventStore,
  query: SessionListQuery
): SessionPage {
  const table = buildSessionTable(db, store, query)
  const offset = Math.max(0, query.offset ?? 0)
  const limit = Math.max(1, Math.min(query.limit ?? 50, 1000))
  const selected = selectSessions(db, table, query.filter)
  selected.sort(
    (a, b) => table.startMs[b] - table.startMs[a] || (table.keys[a] < table.keys[b] ? -1 : 1)
  )
  const page = selected.slice(offset, offset + limit)
  return { total: selected.length, offset, sessions: describeSessions(db, table, page) }
}

function selectSessions(db: ReadableDb, table: SessionTable, filter: SessionFilter): number[] {
  const n = table.keys.length
  const all = Array.from({ length: n }, (_, s) => s)
  switch (filter.kind) {
    case 'all':
      return all
    case 'day':
      return all.filter((s) => formatDay(Math.floor(table.startMs[s] / DAY_MS)) === filter.day)
    case 'duration':
      return all.filter((s) => {
        const seconds = (table.endMs[s] - table.startMs[s]) / 1000
        return seconds >= filter.minSeconds && seconds < filter.maxSeconds
      })
    case 'pageviews':
      return all.filter((s) => table.pageviews[s] >= filter.min && table.pageviews[s] <= filter.max)
    case 'bounced':
      return all.filter((s) => isBounce(table, s) === true)
    case 'person':
      return all.filter((s) => table.store.personKeys[table.person[s]] === filter.personId)
    case 'multi-device': {
      const perPerson = new Map<number, number[]>()
      for (const s of all) {
        const list = perPerson.get(table.person[s])
        if (list) list.push(s)
        else perPerson.set(table.person[s], [s])
      }
      const multi = new Set(
        findMultiDevicePersons(db, table, perPerson).list.map((p) => p.personId as string)
      )
      return all.filter((s) => multi.has(table.store.personKeys[table.person[s]]))
    }
  }
}

function describeSessions(
  db: ReadableDb,
  table: SessionTable,
  sessions: number[]
): SessionSummary[] {
  const store = table.store
  const { codeOf, table: devices } = getSessionDevices(db, table, sessions)
  const profiles = getPersonProfiles(
    db,
    sessions.map((s) => store.personKeys[table.person[s]])
  )
  const sessionIdsOf = new Map<number, string[]>()
  if (table.query.definition.kind === 'session-id') {
    for (const s of sessions) sessionIdsOf.set(s, [table.keys[s]])
  } else {
    const column = getSessionColumn(db, store)
    for (const s of sessions) {
      const p = table.person[s]
      const ids = new Set<string>()
      for (let i = store.personStart[p]; i < store.personStart[p + 1]; i++) {
        const t = store.timestampMs[i]
        if (t < table.startMs[s] || t > table.endMs[s]) continue
        if (column.sessionOf[i] >= 0) ids.add(column.sessionIds[column.sessionOf[i]])
      }
      sessionIdsOf.set(s, [...ids])
    }
  }
  const spans = getRecordingSpans(db, [...new Set([...sessionIdsOf.values()].flat())])
  return sessions.map((s) => {
    const personId = store.personKeys[table.person[s]]
    let recordingIds = (sessionIdsOf.get(s) ?? []).filter((id) => spans.has(id))
    if (recordingIds.length === 0) {
      recordingIds = listPersonRecordingsOverlapping(
        db,
        personId,
        table.startMs[s],
        table.endMs[s]
      ).map((r) => r.id)
    }
    return {
      key: table.keys[s],
      personId: personId as PersonId,
      email: profiles.get(personId)?.email ?? null,
      startedAtMs: table.startMs[s],
      endedAtMs: table.endMs[s],
      durationMs: table.endMs[s] - table.startMs[s],
      events: table.events[s],
      pageviews: table.pageviews[s],
      bounced: isBounce(table, s),
      device: codeOf[s] < 0 ? null : devices.devices[codeOf[s]],
      recordingIds: recordingIds as RecordingId[]
    }
  })
}
