import type { ReadableDb } from './types'

export type PersonProfile = {
  id: string
  email: string | null
  name: string | null
  isIdentified: boolean
  /** From a persons export or API (not only seen inside a recording export). */
  hasProfile: boolean
  createdAtMs: number | null
  properties: Record<string, unknown>
}

type ProfileRow = {
  id: string
  email: string | null
  name: string | null
  is_identified: number
  has_profile: number
  created_at_ms: number | null
  properties: string
}

function rowToProfile(row: ProfileRow): PersonProfile {
  let properties: Record<string, unknown> = {}
  try {
    properties = JSON.parse(row.properties) as Record<string, unknown>
  } catch {
    // Keep the person even when its properties cell is unreadable.
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isIdentified: row.is_identified === 1,
    hasProfile: row.has_profile === 1,
    createdAtMs: row.created_at_ms,
    properties
  }
}

/**
 * The profiles (`persons` rows) of the given person ids; ids without a profile (anonymous visitors) are absent.
 */
export function getPersonProfiles(
  db: ReadableDb,
  ids: readonly string[]
): Map<string, PersonProfile> {
  const result = new Map<string, PersonProfile>()
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = db
      .prepare(
        `SELECT p.id, p.email, p.name, p.is_identified, p.has_profile, p.created_at_ms, p.properties
         FROM json_each(?) j JOIN persons p ON p.id = j.value`
      )
      .all(JSON.stringify(ids.slice(i, i + 5000))) as ProfileRow[]
    for (const row of rows) result.set(row.id, rowToProfile(row))
  }
  return result
}

/** One profile, or undefined when the person has none. */
export function getPersonProfile(db: ReadableDb, id: string): PersonProfile | undefined {
  const row = db
    .prepare(
      `SELECT id, email, name, is_identified, has_profile, created_at_ms, properties FROM persons WHERE id = ?`
    )
    .get(id) as ProfileRow | undefined
  return row === undefined ? undefined : rowToProfile(row)
}

/** Every profile (for person-property breakdowns and the persons list), as id → profile. */
export function listPersonProfiles(db: ReadableDb): Map<string, PersonProfile> {
  const rows = db
    .prepare(
      `SELECT id, email, name, is_identified, has_profile, created_at_ms, properties FROM persons`
    )
    .all() as ProfileRow[]
  return new Map(rows.map((row) => [row.id, rowToProfile(row)]))
}

/** Distinct ids of a person: those mapped to its profile, plus those its events were sent with. */
export function listDistinctIds(db: ReadableDb, personKey: string): string[] {
  return db
    .prepare(
      `SELECT distinct_id FROM person_distinct_ids WHERE person_id = @id
       UNION SELECT DISTINCT distinct_id FROM events WHERE person_key = @id
       ORDER BY 1`
    )
    .pluck()
    .all({ id: personKey }) as string[]
}

/** A recording's time span, for linking analytics to replays. */
export type RecordingSpan = {
  id: string
  personId: string | null
  startMs: number
  endMs: number
  durationMs: number
}

const SPAN_COLUMNS = `r.id AS id, r.person_id AS personId, r.start_ms AS startMs, r.end_ms AS endMs, r.duration_ms AS durationMs`

/** The recordings with the given ids (session ids); ids without a recording are absent. */
export function getRecordingSpans(
  db: ReadableDb,
  ids: readonly string[]
): Map<string, RecordingSpan> {
  const result = new Map<string, RecordingSpan>()
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = db
      .prepare(`SELECT ${SPAN_COLUMNS} FROM json_each(?) j JOIN recordings r ON r.id = j.value`)
      .all(JSON.stringify(ids.slice(i, i + 5000))) as RecordingSpan[]
    for (const row of rows) result.set(row.id, row)
  }
  return result
}

/** A person's recordings overlapping [fromMs, toMs], oldest first. */
export function listPersonRecordingsOverlapping(
  db: ReadableDb,
  personId: string,
  fromMs: number,
  toMs: number
): RecordingSpan[] {
  return db
    .prepare(
      `SELECT ${SPAN_COLUMNS} FROM recordings r
       WHERE person_id = @personId AND start_ms <= @toMs AND end_ms >= @fromMs ORDER BY start_ms`
    )
    .all({ personId, fromMs, toMs }) as RecordingSpan[]
}

/** Every recording's span grouped by person (persons list counts, session drill-downs). */
export function listRecordingSpansByPerson(db: ReadableDb): Map<string, RecordingSpan[]> {
  const rows = db
    .prepare(
      `SELECT ${SPAN_COLUMNS} FROM recordings r WHERE r.person_id IS NOT NULL ORDER BY r.person_id, r.start_ms`
    )
    .all() as RecordingSpan[]
  const result = new Map<string, RecordingSpan[]>()
  for (const row of rows) {
    const list = result.get(row.personId as string)
    if (list) list.push(row)
    else result.set(row.personId as string, [row])
  }
  return result
}
