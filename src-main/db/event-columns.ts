import type { WritableDb } from './types'
import { EVENT_COLUMNS } from './migrations/0007-event-columns'

/**
 * An event's row of `event_columns` (see migration 0007): the extracted properties in `EVENT_COLUMNS` order and
 * `other`, 1 when some value is not a JSON string.
 */
export type EventColumnValues = { other: 0 | 1; values: (string | null)[] }

/** Rows the fill reads per query (a statement may not write while another of its connection reads). */
const FILL_BLOCK = 10_000

/**
 * The `event_columns` values of an event whose `properties` column is `JSON.stringify(properties)`, equal to what
 * migration 0007's SQL extracts from that text: a string as is, null or absent as NULL, any other value as its
 * JSON text (numbers, booleans, objects, arrays; `other` = 1).
 *
 * The importer computes them where it parses the event (its parse worker), so the write is a plain insert.
 */
export function eventColumnValues(
  properties: Readonly<Record<string, unknown>>
): EventColumnValues {
  let other: 0 | 1 = 0
  const values: (string | null)[] = []
  for (const { property } of EVENT_COLUMNS) {
    const value = Object.hasOwn(properties, property) ? properties[property] : undefined
    if (typeof value === 'string') {
      values.push(value)
      continue
    }
    // JSON.stringify's text is what the stored properties hold (undefined, functions: absent; NaN: null; a
    // toJSON may give a string).
    const json = value === undefined || value === null ? undefined : JSON.stringify(value)
    if (json === undefined || json === 'null') values.push(null)
    else if (json.startsWith('"')) values.push(JSON.parse(json) as string)
    else {
      values.push(json)
      other = 1
    }
  }
  return { other, values }
}

/**
 * A writer of `event_columns` rows for `events` rows just inserted (events are inserted without a trigger since
 * migration 0008). Replaces a stale row of the same rowid, if any.
 */
export function createEventColumnsWriter(
  db: WritableDb
): (rowid: number | bigint, columns: EventColumnValues) => void {
  const names = EVENT_COLUMNS.map((c) => c.column).join(', ')
  const insert = db.prepare(
    `INSERT OR REPLACE INTO event_columns (rowid, other, ${names}) VALUES (?, ?${', ?'.repeat(EVENT_COLUMNS.length)})`
  )
  return (rowid, columns) => insert.run(rowid, columns.other, ...columns.values)
}

/**
 * Fills `event_columns` for every event that has no row there, from its properties JSON: for writers that insert
 * events by SQL (tests, benchmark generators) rather than through the importer. Returns the rows written.
 */
export function fillEventColumns(db: WritableDb): number {
  const write = createEventColumnsWriter(db)
  const select = db.prepare<[number], { rowid: number; properties: string }>(
    `SELECT rowid, properties FROM events
     WHERE rowid > ? AND NOT EXISTS (SELECT 1 FROM event_columns c WHERE c.rowid = events.rowid)
     ORDER BY rowid LIMIT ${FILL_BLOCK}`
  )
  let written = 0
  db.transaction(() => {
    for (let after = -Infinity; ;) {
      const rows = select.all(after)
      for (const row of rows) {
        const parsed: unknown = JSON.parse(row.properties)
        const properties =
          typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
            ? (parsed as Record<string, unknown>)
            : {}
        write(row.rowid, eventColumnValues(properties))
      }
      written += rows.length
      if (rows.length < FILL_BLOCK) return
      after = rows[rows.length - 1].rowid
    }
  })()
  return written
}
