import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixturePath } from '../test/test-db'
import { createCsvReader } from './csv-reader'
import { InvalidRecordError, csvHeaderKind } from './event-normalize'
import { csvRecordToPerson, normalizePerson } from './person-normalize'
import type { PersonRow } from './rows'

type RawPerson = {
  id: string | number
  uuid: string
  name: string
  distinct_ids: string[]
  properties: Record<string, unknown>
  created_at: string
  is_identified?: boolean
}
type Manifest = {
  counts: { persons_identified: number }
  recordings: Array<{ person_id: string; email: string | null; person_is_identified: boolean }>
  ground_truth: { multi_device_persons: Array<{ person_id: string; email: string }> }
}

const manifest = JSON.parse(
  readFileSync(fixturePath('acme-small', 'MANIFEST.json'), 'utf8')
) as Manifest
const acmePersons = readFileSync(fixturePath('acme-small', 'persons.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as RawPerson)

function refusal(run: () => unknown): string | null {
  try {
    run()
    return null
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(InvalidRecordError)
    return (error as Error).message
  }
}

/** A value rendered the way PostHog's CSV exporter (djangorestframework-csv) writes it. */
function pythonCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value === true) return 'True'
  if (value === false) return 'False'
  return String(value)
}

/** Flattens a record into dotted columns, as the exporter does. */
function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, `${prefix}.${key}`, out)
  } else {
    out.set(prefix, pythonCell(value))
  }
}

function csvLine(cells: string[]): string {
  return cells
    .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
    .join(',')
}

/** acme-small's persons as a persons-list CSV export (`id,name,distinct_ids.N,properties.*,created_at,uuid`). */
function acmePersonsCsv(): string {
  const rows = acmePersons.map((person) => {
    const cells = new Map<string, string>([
      ['id', String(person.id)],
      ['name', person.name]
    ])
    flatten(person.distinct_ids, 'distinct_ids', cells)
    flatten(person.properties, 'properties', cells)
    cells.set('created_at', person.created_at.replace('T', ' ').replace('Z', '000+00:00'))
    cells.set('uuid', person.uuid)
    return cells
  })
  const header = [...new Set(rows.flatMap((row) => [...row.keys()]))]
  return [header, ...rows.map((row) => header.map((column) => row.get(column) ?? ''))]
    .map(csvLine)
    .join('\r\n')
}

describe('normalizePerson on acme-small persons.jsonl', () => {
  const persons = acmePersons.map(normalizePerson)

  it('gives every identified person with id, email, name and distinct ids', () => {
    expect(persons).toHaveLength(manifest.counts.persons_identified)
    persons.forEach((person, index) => {
      const raw = acmePersons[index]
      expect(person).toEqual({
        id: raw.uuid,
        apiId: null,
        name: raw.name,
        email: raw.properties.email as string,
        isIdentified: true,
        hasProfile: true,
        createdAtMs: Date.parse(raw.created_at),
        properties: JSON.stringify(raw.properties),
        distinctIds: raw.distinct_ids
      } satisfies PersonRow)
    })
  })

  it("agrees with MANIFEST's recordings and multi-device persons", () => {
    const byId = new Map(persons.map((person) => [person.id, person]))
    for (const recording of manifest.recordings.filter((r) => r.person_is_identified)) {
      expect(byId.get(recording.person_id)?.email).toBe(recording.email)
    }
    for (const multi of manifest.ground_truth.multi_device_persons) {
      const person = byId.get(multi.person_id)!
      expect(person.email).toBe(multi.email)
      expect(person.distinctIds.length).toBeGreaterThanOrEqual(2)
    }
  })
})

describe('normalizePerson on other shapes', () => {
  it('reads the persons API page sample: 99 persons, numeric id as apiId, explicit is_identified', () => {
    const page = JSON.parse(
      readFileSync(
        fixturePath(
          'samples',
          'kitadmin01__analytickit__cypress__fixtures__api__person__persons.json'
        ),
        'utf8'
      )
    ) as { results: RawPerson[] }
    const persons = page.results.map(normalizePerson)
    expect(persons).toHaveLength(99)
    expect(new Set(persons.map((person) => person.id)).size).toBe(99)
    persons.forEach((person, index) => {
      const raw = page.results[index]
      expect(person.id).toBe(raw.uuid)
      expect(person.apiId).toBe(String(raw.id))
      expect(person.isIdentified).toBe(false)
      expect(person.distinctIds).toEqual(raw.distinct_ids)
      expect(person.createdAtMs).toBe(Date.parse(raw.created_at.slice(0, 23) + 'Z'))
      expect(JSON.parse(person.properties)).toEqual(raw.properties)
    })
  })

  it('reads batch-export persons-model rows: one distinct id, properties as JSON text', () => {
    const person = normalizePerson({
      team_id: 1,
      distinct_id: 'anon-1',
      person_id: '0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B',
      properties: '{"$email":"a@b.test","name":"Ann"}',
      person_distinct_id_version: 0,
      person_version: 3,
      created_at: '2024-07-01 10:00:00',
      is_deleted: 0
    })
    expect(person).toEqual({
      id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      apiId: null,
      name: 'Ann',
      email: 'a@b.test',
      isIdentified: true,
      hasProfile: true,
      createdAtMs: Date.UTC(2024, 6, 1, 10),
      properties: '{"$email":"a@b.test","name":"Ann"}',
      distinctIds: ['anon-1']
    } satisfies PersonRow)
  })

  it('prefers the top-level name, keeps ids as text and drops duplicate distinct ids', () => {
    const person = normalizePerson({
      id: 12,
      name: 'Shown',
      distinct_ids: ['a', 'a', 7, ''],
      properties: { name: 'Prop' },
      created_at: 'garbage'
    })
    expect(person).toMatchObject({
      id: '12',
      apiId: null,
      name: 'Shown',
      distinctIds: ['a', '7'],
      createdAtMs: null
    })
  })

  it('refuses records that cannot be persons, with the reason', () => {
    const cases: Array<[unknown, string | RegExp]> = [
      [null, 'a person must be an object, not null'],
      [[1], 'a person must be an object, not an array'],
      [{ distinct_ids: ['a'] }, 'missing person id (no uuid, id or person_id)'],
      [{ uuid: {}, distinct_ids: [] }, 'person uuid is an object, not a string'],
      [{ uuid: 'u', distinct_ids: 'a,b' }, 'distinct_ids is a string, not an array'],
      [{ uuid: 'u', distinct_ids: [{ id: 1 }] }, 'a distinct id is an object, not a string'],
      [
        { uuid: 'u', distinct_ids: ['x'.repeat(5000)] },
        'a distinct id is too long (5000 characters)'
      ],
      [{ uuid: 'u', properties: 'nope' }, /^person properties is not valid JSON/],
      [{ uuid: 'u', properties: [1] }, 'person properties is an array, not an object'],
      [{ person_id: 'p', distinct_id: 'd', is_deleted: 1 }, /^a deleted person row/],
      [{ person_id: 'p', distinct_id: 'd', is_deleted: 'true' }, /^a deleted person row/]
    ]
    for (const [input, reason] of cases) {
      const message = refusal(() => normalizePerson(input))
      if (typeof reason === 'string') expect(message).toBe(reason)
      else expect(message).toMatch(reason)
    }
  })

  it('never crashes on a real person with any field replaced by an odd value', () => {
    const odd: unknown[] = [null, undefined, 0, NaN, true, '', 'x'.repeat(100_000), {}, [], [null]]
    const real = acmePersons[0] as unknown as Record<string, unknown>
    for (const key of [...Object.keys(real), 'person_id', 'distinct_id', 'is_deleted']) {
      for (const value of odd) refusal(() => normalizePerson({ ...real, [key]: value }))
    }
  })
})

describe('csvRecordToPerson', () => {
  it('reads the PostHog persons CSV fixture layout', () => {
    // Header and row shape from posthog/tasks/exports/test/csv_renders/people.json (FORMATS.md §3.1).
    const header = [
      'id',
      'name',
      'distinct_ids.0',
      'properties.$os',
      'properties.email',
      'properties.is_demo',
      'properties.$geoip_latitude',
      'created_at',
      'uuid'
    ]
    expect(csvHeaderKind(header)).toBe('persons')
    const person = csvRecordToPerson(header, [
      '1',
      'person@posthog.com',
      '1234',
      'Mac OS X',
      'person@posthog.com',
      'True',
      '-33.8715',
      '2023-01-02 03:04:05.123456+00:00',
      '018a0000-0000-7000-8000-000000000001'
    ])
    expect(person).toEqual({
      id: '018a0000-0000-7000-8000-000000000001',
      apiId: '1',
      name: 'person@posthog.com',
      email: 'person@posthog.com',
      isIdentified: true,
      hasProfile: true,
      createdAtMs: Date.UTC(2023, 0, 2, 3, 4, 5, 123),
      properties: JSON.stringify({
        $os: 'Mac OS X',
        email: 'person@posthog.com',
        is_demo: true,
        $geoip_latitude: -33.8715
      }),
      distinctIds: ['1234']
    } satisfies PersonRow)
  })

  it('gives the same persons from a CSV rendering of acme-small persons as from the JSON Lines', () => {
    const reader = createCsvReader()
    const [header, ...records] = [...reader.push(acmePersonsCsv()), ...reader.end()]
    expect(csvHeaderKind(header)).toBe('persons')
    const fromCsv = records.map((cells) => csvRecordToPerson(header, cells))
    const fromJson = acmePersons.map(normalizePerson)
    expect(fromCsv).toHaveLength(fromJson.length)
    fromCsv.forEach((person, index) => {
      const json = fromJson[index]
      const { properties: csvProperties, ...csvRest } = person
      const { properties: jsonProperties, ...jsonRest } = json
      expect(csvRest).toEqual(jsonRest)
      // Null properties are empty cells, so they come back absent; everything else survives.
      const expected = Object.fromEntries(
        Object.entries(JSON.parse(jsonProperties) as Record<string, unknown>).filter(
          ([, value]) => value !== null
        )
      )
      expect(JSON.parse(csvProperties)).toEqual(expected)
    })
  })

  it('reads a persons-model CSV and refuses a row without an id', () => {
    const header = ['*.team_id', '*.distinct_id', '*.person_id', '*.properties', '*.is_deleted']
    expect(csvHeaderKind(header)).toBe('persons')
    const person = csvRecordToPerson(header, ['1', '42', 'p-1', '{"email":"e@x.test"}', 'False'])
    expect(person).toMatchObject({ id: 'p-1', email: 'e@x.test', distinctIds: ['42'] })
    expect(refusal(() => csvRecordToPerson(header, ['1', '42', '', '', 'False']))).toBe(
      'missing person id (no uuid, id or person_id)'
    )
    expect(refusal(() => csvRecordToPerson(header, ['1', '42', 'p-1', '', 'True']))).toMatch(
      /^a deleted person row/
    )
  })
})
