import { buildCsvRecords } from './csv-columns'
import {
  InvalidRecordError,
  describeType,
  isPlainObject,
  normalizeUuid,
  parseTimestampMs,
  readBoolean,
  readId,
  readPropertiesObject,
  readText,
  stringifyJson
} from './record-values'
import type { PersonRow } from './rows'

/** Distinct ids kept per person; PostHog caps merges far below this. */
const MAX_DISTINCT_IDS = 10_000

/**
 * Turns one person record into a `PersonRow` (FORMATS.md §2.6, §3.2, §3.5).
 *
 * Shapes: the `/persons` API (`id` numeric or a uuid, `uuid`, `name`, `distinct_ids`, `properties`, `created_at`,
 * `is_identified`), persons JSON Lines, and batch-export persons-model rows (`person_id`, one `distinct_id`,
 * `properties` maybe JSON text, `is_deleted`), whose rows of one person the store merges. `id` is the uuid when
 * there is one; a numeric API id goes to `apiId`. `isIdentified` is the explicit flag, else true (a profile exists).
 *
 * Throws `InvalidRecordError` for a record without a usable id, with wrongly typed fields, or for a deleted
 * persons-model row (its distinct id no longer belongs to that person).
 */
export function normalizePerson(raw: unknown): PersonRow {
  if (!isPlainObject(raw))
    throw new InvalidRecordError(`a person must be an object, not ${describeType(raw)}`)
  if (readBoolean(raw.is_deleted) === true) {
    throw new InvalidRecordError(
      'a deleted person row (is_deleted): its distinct id was moved or removed'
    )
  }
  const uuid = readId(raw.uuid, 'person uuid')
  const personId = readId(raw.person_id, 'person_id')
  const rawId = readId(raw.id, 'person id')
  const id = uuid ?? personId ?? rawId
  if (id === null) throw new InvalidRecordError('missing person id (no uuid, id or person_id)')
  const apiId = rawId !== null && normalizeUuid(rawId) !== normalizeUuid(id) ? rawId : null

  const properties = readPropertiesObject(raw.properties, 'person properties')
  const distinctIds = readDistinctIds(raw.distinct_ids)
  const single = readId(raw.distinct_id, 'distinct_id')
  if (single !== null && !distinctIds.includes(single)) distinctIds.push(single)

  const explicitIdentified = readBoolean(raw.is_identified)
  return {
    id: normalizeUuid(id),
    apiId,
    name: readText(raw.name) ?? readText(properties.name),
    email: readText(properties.email) ?? readText(properties.$email),
    isIdentified: explicitIdentified ?? true,
    hasProfile: true,
    createdAtMs: parseTimestampMs(raw.created_at),
    properties: stringifyJson(properties, 'person properties'),
    distinctIds
  }
}

function readDistinctIds(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value))
    throw new InvalidRecordError(`distinct_ids is ${describeType(value)}, not an array`)
  if (value.length > MAX_DISTINCT_IDS) {
    throw new InvalidRecordError(
      `distinct_ids has ${value.length} entries (more than ${MAX_DISTINCT_IDS})`
    )
  }
  const ids: string[] = []
  const seen = new Set<string>()
  for (const item of value) {
    const id = readId(item, 'a distinct id')
    if (id === null || seen.has(id)) continue
    seen.add(id)
    ids.push(id)
  }
  return ids
}

/**
 * Turns one data row of a persons CSV export into a `PersonRow`.
 *
 * Columns as the persons list exports them (`id`, `name`, `distinct_ids.0`, `distinct_ids.1`…, `properties.email`…,
 * `created_at`, `uuid`, optionally `is_identified`), with or without a `*.` prefix, or a persons-model batch export
 * (`person_id`, `distinct_id`, `properties`, `is_deleted`). Property cells are read Python-style (`True`, `None`,
 * numbers); ids stay text. Throws `InvalidRecordError` like `normalizePerson`.
 */
export function csvRecordToPerson(header: string[], cells: string[]): PersonRow {
  const { record } = buildCsvRecords(
    header,
    cells,
    (path) => path.length > 1 && path[0] === 'properties'
  )
  return normalizePerson(record)
}
