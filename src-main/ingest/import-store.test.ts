import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { WritableDb } from '../db/types'
import { createTestDb, fixturePath } from '../test/test-db'
import { createCsvReader } from './csv-reader'
import { csvRecordToEvent, normalizeEvent } from './event-normalize'
import { createChangeSet, createImportStore, type ChangeSet } from './import-store'
import { normalizePerson } from './person-normalize'
import { relink } from './relink'
import type { EventRow, PersonRow } from './rows'

const jsonRows = readFileSync(fixturePath('acme-small', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => normalizeEvent(JSON.parse(line)))

function csvRows(): EventRow[] {
  const reader = createCsvReader()
  const text = readFileSync(fixturePath('acme-small', 'events.csv'), 'utf8')
  const [header, ...records] = [...reader.push(text), ...reader.end()]
  return records.map((cells) => csvRecordToEvent(header, cells))
}

const persons: PersonRow[] = readFileSync(fixturePath('acme-small', 'persons.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => normalizePerson(JSON.parse(line)))

function store(
  db: WritableDb,
  rows: readonly EventRow[],
  changes: ChangeSet = createChangeSet()
): void {
  const importStore = createImportStore(db)
  db.transaction(() => importStore.storeEvents(rows, [], changes))()
}

const personKeys = (db: WritableDb) =>
  db.prepare(`SELECT uuid, person_key FROM events ORDER BY uuid`).all() as {
    uuid: string
    person_key: string | null
  }[]

const snapshot = (db: WritableDb) => ({
  events: db.prepare(`SELECT * FROM events ORDER BY rowid`).all(),
  columns: db.prepare(`SELECT * FROM event_columns ORDER BY rowid`).all()
})

/** `event_columns` as migration 0007's SQL extracts it from the stored properties (its trigger, at schema 7). */
function columnsBySql(db: WritableDb): unknown[] {
  const reference = createTestDb({ upToVersion: 7 })
  const insert = reference.prepare(
    `INSERT INTO events (rowid, uuid, event, distinct_id, timestamp_ms, properties) VALUES (?, ?, 'e', 'd', 1, ?)`
  )
  const rows = db.prepare(`SELECT rowid, uuid, properties FROM events`).all() as {
    rowid: number
    uuid: string
    properties: string
  }[]
  for (const row of rows) insert.run(row.rowid, row.uuid, row.properties)
  return reference.prepare(`SELECT * FROM event_columns ORDER BY rowid`).all()
}

describe('storeEvents', () => {
  it('writes every event with its event_columns row, equal to the SQL extraction', () => {
    const db = createTestDb()
    const odd = normalizeEvent({
      uuid: 'odd',
      event: 'e',
      distinct_id: 'd',
      timestamp: 1,
      properties: { $browser: 42, $host: { a: [1] }, $os: null, $device_id: 'é' }
    })
    store(db, [...jsonRows, odd])
    expect(db.prepare(`SELECT count(*) FROM events`).pluck().get()).toBe(jsonRows.length + 1)
    expect(db.prepare(`SELECT count(*) FROM event_columns WHERE other = 1`).pluck().get()).toBe(1)
    expect(snapshot(db).columns).toEqual(columnsBySql(db))
    expect(
      db.prepare(`SELECT count(*) FROM event_columns WHERE current_url IS NOT NULL`).pluck().get()
    ).toBeGreaterThan(jsonRows.length / 2)
  })

  it('leaves the cache unchanged when the same events come again, in one batch or another', () => {
    const db = createTestDb()
    store(db, jsonRows)
    const before = snapshot(db)
    store(db, jsonRows)
    store(db, [...jsonRows.slice(0, 10), ...jsonRows.slice(0, 10)])
    expect(snapshot(db)).toEqual(before)
  })

  it('stores an event given twice in one batch once', () => {
    const db = createTestDb()
    store(db, [jsonRows[0], jsonRows[1], jsonRows[0]])
    expect(snapshot(db).events).toHaveLength(2)
    expect(snapshot(db).columns).toEqual(columnsBySql(db))
  })

  it('replaces a CSV event with the JSON export of it (richer), never the reverse; columns follow', () => {
    const csv = csvRows()
    const fromCsv = createTestDb()
    store(fromCsv, csv)
    store(fromCsv, jsonRows)
    const fromJson = createTestDb()
    store(fromJson, jsonRows)
    const jsonFirst = snapshot(fromJson)
    store(fromJson, csv)

    // JSON then CSV: nothing the JSON gave changes.
    expect(snapshot(fromJson)).toEqual(jsonFirst)
    // CSV then JSON: the JSON's properties and their columns, in the CSV's rows.
    const properties = (db: WritableDb) =>
      db.prepare(`SELECT uuid, properties, fidelity FROM events ORDER BY uuid`).all()
    expect(properties(fromCsv)).toEqual(properties(fromJson))
    expect(snapshot(fromCsv).columns).toEqual(columnsBySql(fromCsv))
    const columnsByUuid = (db: WritableDb) =>
      db
        .prepare(
          `SELECT e.uuid, c.* FROM events e JOIN event_columns c ON c.rowid = e.rowid ORDER BY e.uuid`
        )
        .all()
        .map((row) => ({ ...(row as object), rowid: undefined }))
    expect(columnsByUuid(fromCsv)).toEqual(columnsByUuid(fromJson))
  })

  it("sets each event's person key as the relink would, and the relink still follows persons imported later", () => {
    // Without the export's person id, so the key comes from the persons' distinct ids.
    const rows = jsonRows.map((row) => ({ ...row, personId: null }))
    // Persons first: the insert finds the mapping.
    const personsFirst = createTestDb()
    const importStore = createImportStore(personsFirst)
    personsFirst.transaction(() => importStore.storePersons(persons, createChangeSet()))()
    store(personsFirst, rows)
    const atInsert = personKeys(personsFirst)
    expect(atInsert.every((row) => row.person_key !== null)).toBe(true)
    personsFirst.prepare(`UPDATE events SET person_key = NULL`).run()
    personsFirst.transaction(() => relink(personsFirst, createChangeSet()))()
    expect(personKeys(personsFirst)).toEqual(atInsert)
    const distinctIds = new Map(rows.map((row) => [row.uuid, row.distinctId]))
    const mapped = atInsert.filter((row) => row.person_key !== distinctIds.get(row.uuid))
    expect(mapped.length).toBeGreaterThan(rows.length / 4)
    expect(mapped.every((row) => persons.some((p) => p.id === row.person_key))).toBe(true)

    // Events first: keys are distinct ids until the persons' run relinks them.
    const eventsFirst = createTestDb()
    store(eventsFirst, rows)
    expect(
      personKeys(eventsFirst).every((row) => row.person_key === distinctIds.get(row.uuid))
    ).toBe(true)
    const changes = createChangeSet()
    const laterStore = createImportStore(eventsFirst)
    eventsFirst.transaction(() => {
      laterStore.storePersons(persons, changes)
      relink(eventsFirst, changes)
    })()
    expect(personKeys(eventsFirst)).toEqual(atInsert)
  })

  it('fills each field a stored event lacks from a later copy of the same fidelity, and keeps what it has', () => {
    const bare: EventRow = {
      ...jsonRows[0],
      personId: null,
      sessionId: null,
      windowId: null,
      url: null,
      elementsChain: null
    }
    const fields = [
      ['personId', 'person_id'],
      ['sessionId', 'session_id'],
      ['windowId', 'window_id'],
      ['url', 'url'],
      ['elementsChain', 'elements_chain']
    ] as const
    for (const [field, column] of fields) {
      const db = createTestDb()
      store(db, [bare])
      store(db, [{ ...bare, [field]: 'first' }])
      store(db, [{ ...bare, [field]: 'second' }])
      const row = db.prepare(`SELECT * FROM events`).get() as Record<string, unknown>
      expect(row[column], field).toBe('first')
      for (const [, other] of fields) if (other !== column) expect(row[other], other).toBeNull()
    }
  })
})
