import type {
  PersonEventsPage,
  PersonEventsQuery,
  PersonPage,
  PersonQuery
} from '@shared/analytics'
import type { PersonDetail, PersonId, PersonSummary } from '@shared/domain'
import { listPersonEventNames, listPersonEvents as selectPersonEvents } from '../db/event-queries'
import {
  getPersonProfile,
  listDistinctIds,
  listPersonProfiles,
  type PersonProfile
} from '../db/person-queries'
import type { ReadableDb } from '../db/types'
import { findPerson, getSessionColumn, type EventStore } from './event-store'

/** One person's counts, as the persons list shows and sorts them. */
type PersonEntry = {
  id: string
  profile: PersonProfile | null
  recordingCount: number
  sessionCount: number
  exceptionCount: number
  lastSeenMs: number | null
}

type PersonIndex = { entries: PersonEntry[]; byId: Map<string, PersonEntry> }

/**
 * Every person (profiles, and anonymous visitors known from their events or recordings) with their counts.
 *
 * Sessions are the distinct `$session_id`s of the person's events plus recordings without events; exceptions are
 * the `$exception` events of the person's sessions (console errors are not counted, as in the recording list); last seen is the latest event or recording end. Cached in the store.
 */
function getPersonIndex(db: ReadableDb, store: EventStore): PersonIndex {
  const cached = store.lazy.get('person-index') as PersonIndex | undefined
  if (cached) return cached
  const byId = new Map<string, PersonEntry>()
  const entry = (id: string): PersonEntry => {
    let found = byId.get(id)
    if (!found) {
      found = {
        id,
        profile: null,
        recordingCount: 0,
        sessionCount: 0,
        exceptionCount: 0,
        lastSeenMs: null
      }
      byId.set(id, found)
    }
    return found
  }
  for (const [id, profile] of listPersonProfiles(db)) entry(id).profile = profile

  const sessions = getSessionColumn(db, store)
  const personOfSession = new Int32Array(sessions.sessionIds.length).fill(-1)
  for (let p = 0; p < store.personKeys.length; p++) {
    const start = store.personStart[p]
    const end = store.personStart[p + 1]
    const person = entry(store.personKeys[p])
    if (end > start) person.lastSeenMs = store.timestampMs[end - 1]
    const seen = new Set<number>()
    for (let i = start; i < end; i++) {
      const session = sessions.sessionOf[i]
      if (session < 0 || seen.has(session)) continue
      seen.add(session)
      if (personOfSession[session] < 0) personOfSession[session] = p
    }
    person.sessionCount = seen.size
  }
  const sessionIndex = new Map<string, number>()
  sessions.sessionIds.forEach((id, i) => sessionIndex.set(id, i))

  const recordingPerson = new Map<string, string>()
  const recordings = db
    .prepare(
      `SELECT id, person_id AS personId, end_ms AS endMs FROM recordings WHERE person_id IS NOT NULL`
    )
    .all() as { id: string; personId: string; endMs: number }[]
  for (const recording of recordings) {
    const person = entry(recording.personId)
    person.recordingCount++
    recordingPerson.set(recording.id, recording.personId)
    if (person.lastSeenMs === null || recording.endMs > person.lastSeenMs)
      person.lastSeenMs = recording.endMs
    const session = sessionIndex.get(recording.id)
    if (
      session === undefined ||
      store.personKeys[personOfSession[session]] !== recording.personId
    ) {
      person.sessionCount++
    }
  }
  const exceptionSessions = db
    .prepare(
      `SELECT session_id AS sessionId, count(*) AS n FROM exceptions WHERE source = 'event' GROUP BY session_id`
    )
    .all() as { sessionId: string; n: number }[]
  for (const row of exceptionSessions) {
    const session = sessionIndex.get(row.sessionId)
    const personId =
      session !== undefined && personOfSession[session] >= 0
        ? store.personKeys[personOfSession[session]]
        : recordingPerson.get(row.sessionId)
    if (personId !== undefined) entry(personId).exceptionCount += row.n
  }
  const index = { entries: [...byId.values()], byId }
  store.lazy.set('person-index', index)
  return index
}

/** A person with a profile: identified, or known from a persons export (as the cache totals count persons). */
function isIdentifiedPerson(entry: PersonEntry): boolean {
  return entry.profile !== null && (entry.profile.isIdentified || entry.profile.hasProfile)
}

/**
 * Searches persons: profiles and anonymous visitors, with recording, session and exception counts.
 *
 * `search` matches (case-insensitively, as a substring) the person id, email, name, property values and distinct
 * ids. Sorted by last seen (default), or by recordings / sessions / exceptions, most first; ties by id.
 */
export function listPersons(db: ReadableDb, store: EventStore, query: PersonQuery): PersonPage {
  const index = getPersonIndex(db, store)
  const offset = Math.max(0, query.offset ?? 0)
  const limit = Math.max(1, Math.min(query.limit ?? 50, 500))
  let entries = index.entries
  if (query.identified !== undefined) {
    entries = entries.filter((e) => isIdentifiedPerson(e) === query.identified)
  }
  const search = query.search?.trim().toLowerCase()
  if (search) {
    const matching = findPersonsMatching(db, search)
    entries = entries.filter((e) => matching.has(e.id) || e.id.toLowerCase().includes(search))
  }
  const sort = query.sort ?? 'last-seen'
  const value = (e: PersonEntry): number =>
    sort === 'recordings'
      ? e.recordingCount
      : sort === 'sessions'
        ? e.sessionCount
        : sort === 'exceptions'
          ? e.exceptionCount
          : (e.lastSeenMs ?? -Infinity)
  const sorted = [...entries].sort((a, b) => value(b) - value(a) || (a.id < b.id ? -1 : 1))
  const page = sorted.slice(offset, offset + limit)
  return {
    total: entries.length,
    offset,
    persons: page.map((e) => toSummary(e, listDistinctIds(db, e.id)))
  }
}

/** Person ids whose profile (email, name, properties) or one of whose distinct ids contains `search`. */
function findPersonsMatching(db: ReadableDb, search: string): Set<string> {
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const ids = db
    .prepare(
      `SELECT id FROM persons
         WHERE email LIKE @pattern ESCAPE '\\' OR name LIKE @pattern ESCAPE '\\'
            OR properties LIKE @pattern ESCAPE '\\'
       UNION SELECT person_id FROM person_distinct_ids WHERE distinct_id LIKE @pattern ESCAPE '\\'
       UNION SELECT DISTINCT person_key FROM events WHERE distinct_id IN (
         SELECT DISTINCT distinct_id FROM events WHERE distinct_id LIKE @pattern ESCAPE '\\')`
    )
    .pluck()
    .all({ pattern }) as (string | null)[]
  return new Set(ids.filter((id): id is string => id !== null))
}

function toSummary(entry: PersonEntry, distinctIds: string[]): PersonSummary {
  return {
    id: entry.id as PersonId,
    name: entry.profile?.name ?? null,
    email: entry.profile?.email ?? null,
    distinctIds,
    isIdentified: entry.profile?.isIdentified ?? false,
    createdAtMs: entry.profile?.createdAtMs ?? null,
    recordingCount: entry.recordingCount,
    sessionCount: entry.sessionCount,
    exceptionCount: entry.exceptionCount,
    lastSeenMs: entry.lastSeenMs
  }
}

/**
 * One person with properties and distinct ids; null when nothing is known of the id.
 *
 * Accepts a person id, or a distinct id or email, which is resolved to its person.
 */
export function getPerson(
  db: ReadableDb,
  store: EventStore,
  idOrAlias: string
): PersonDetail | null {
  const index = getPersonIndex(db, store)
  const id = resolvePersonId(db, store, idOrAlias)
  const entry = id === null ? undefined : index.byId.get(id)
  if (!entry) return null
  const profile = entry.profile ?? getPersonProfile(db, entry.id) ?? null
  return {
    ...toSummary({ ...entry, profile }, listDistinctIds(db, entry.id)),
    properties: profile?.properties ?? {}
  }
}

/** Resolves a person id, distinct id or email to the person id used by analytics; null when unknown. */
export function resolvePersonId(
  db: ReadableDb,
  store: EventStore,
  idOrAlias: string
): string | null {
  if (findPerson(store, idOrAlias) >= 0) return idOrAlias
  const row = db
    .prepare(
      `SELECT id FROM persons WHERE id = @v
       UNION ALL SELECT person_id FROM person_distinct_ids WHERE distinct_id = @v
       UNION ALL SELECT id FROM persons WHERE email = @v COLLATE NOCASE
       UNION ALL SELECT person_key FROM events WHERE distinct_id = @v AND person_key IS NOT NULL
       UNION ALL SELECT person_id FROM recordings WHERE person_id = @v
       LIMIT 1`
    )
    .pluck()
    .get({ v: idOrAlias }) as string | undefined
  return row ?? null
}

/** A person's events, newest first, optionally of one name, with the names and counts for the filter. */
export function listPersonEvents(
  db: ReadableDb,
  store: EventStore,
  query: PersonEventsQuery
): PersonEventsPage {
  const id = resolvePersonId(db, store, query.personId) ?? query.personId
  const offset = Math.max(0, query.offset ?? 0)
  const limit = Math.max(1, Math.min(query.limit ?? 100, 1000))
  const page = selectPersonEvents(db, id, { event: query.event, offset, limit })
  return {
    total: page.total,
    offset,
    events: page.events,
    eventNames: listPersonEventNames(db, id)
  }
}
