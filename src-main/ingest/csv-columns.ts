import { InvalidRecordError, isPlainObject, setOwn } from './record-values'

/**
 * Rebuilding records from PostHog's CSV exports, whose exporter (djangorestframework-csv) flattens nested dicts and
 * lists into dotted column names (`*.properties.$exception_list.0.type`, `distinct_ids.1`) and renders Python
 * scalars as `True`/`False`, `None` or an empty cell (FORMATS.md §3.1).
 */

/** One column of a CSV header, parsed once per file. */
export type CsvColumn = {
  index: number
  /** The dotted path inside the record, without the `*.` prefix or an `expr -- ` alias. */
  path: string[]
  /** From an "all columns" (`*.…`) export rather than a display column. */
  isStarred: boolean
  /** Whether the path holds an array index, so the record needs arrays rebuilt. */
  hasIndex: boolean
}

export type CsvHeader = {
  columns: CsvColumn[]
  /** The header carries `*.…` columns: they are the record; the rest are display columns. */
  hasStarred: boolean
  /** Normalised column names (path joined by dots), as written after removing `*.` and aliases. */
  names: Set<string>
  width: number
}

const INDEX = /^(?:0|[1-9]\d{0,5})$/
const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const MAX_ARRAY_GAP = 1000

const parsedHeaders = new WeakMap<readonly string[], CsvHeader>()

/** The column name a header cell stands for: `expr -- Alias` → `Alias`, `*.uuid` → `uuid` (starred). */
export function normalizeColumnName(cell: string): { name: string; isStarred: boolean } {
  let name = cell.trim()
  const alias = name.lastIndexOf(' -- ')
  if (alias !== -1) name = name.slice(alias + 4).trim()
  const isStarred = name.startsWith('*.')
  if (isStarred) name = name.slice(2)
  return { name, isStarred }
}

/** Parses (and caches, per header array) the columns of a CSV header. */
export function parseCsvHeader(header: readonly string[]): CsvHeader {
  const cached = parsedHeaders.get(header)
  if (cached) return cached
  const columns: CsvColumn[] = []
  const names = new Set<string>()
  let hasStarred = false
  header.forEach((cell, index) => {
    const { name, isStarred } = normalizeColumnName(cell)
    if (name === '' || name === '*') return
    const path = name.split('.')
    if (path.some((segment) => segment === '')) return
    hasStarred ||= isStarred
    names.add(name)
    columns.push({ index, path, isStarred, hasIndex: path.some((segment) => INDEX.test(segment)) })
  })
  const parsed = { columns, hasStarred, names, width: header.length }
  parsedHeaders.set(header, parsed)
  return parsed
}

/**
 * A property value as PostHog's exporter rendered it: `True`/`False` → boolean, `None` → null, a canonical number
 * → number (unless it would lose digits), anything else stays text. An empty cell is `undefined` (absent).
 *
 * Lossy by nature: a string property that looked like `10` or `True` comes back as a number or boolean.
 */
export function readPythonCell(cell: string): unknown {
  if (cell === '') return undefined
  if (cell === 'True') return true
  if (cell === 'False') return false
  if (cell === 'None') return null
  if (cell.length <= 32 && CANONICAL_NUMBER.test(cell)) {
    const value = Number(cell)
    if (Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value)))
      return value
  }
  return cell
}

export type CsvRecords = {
  /** Built from the `*.` columns, or from every column when the header has none. */
  record: Record<string, unknown>
  /** Built from the display columns of a `*.` export (`event`, `Person.id`, `Url / Screen`…); empty otherwise. */
  display: Record<string, unknown>
}

/**
 * Rebuilds nested records from one CSV row.
 *
 * Empty cells are left out. `isTyped(path)` says which columns hold Python-rendered values to convert with
 * `readPythonCell`; the others stay text. Objects whose keys are all array indices become arrays (holes → null).
 * Throws `InvalidRecordError` when the row has more cells than the header.
 */
export function buildCsvRecords(
  header: readonly string[],
  cells: readonly string[],
  isTyped: (path: readonly string[]) => boolean
): CsvRecords {
  const parsed = parseCsvHeader(header)
  if (cells.length > parsed.width) {
    throw new InvalidRecordError(
      `the row has ${cells.length} cells but the header has ${parsed.width} columns`
    )
  }
  const record: Record<string, unknown> = {}
  const display: Record<string, unknown> = {}
  let recordHasIndex = false
  let displayHasIndex = false
  for (const column of parsed.columns) {
    const cell = cells[column.index]
    if (cell === undefined || cell === '') continue
    const value = isTyped(column.path) ? readPythonCell(cell) : cell
    if (value === undefined) continue
    const toRecord = column.isStarred || !parsed.hasStarred
    if (!setPath(toRecord ? record : display, column.path, value)) continue
    if (column.hasIndex) {
      if (toRecord) recordHasIndex = true
      else displayHasIndex = true
    }
  }
  return {
    record: recordHasIndex ? (rebuildArrays(record) as Record<string, unknown>) : record,
    display: displayHasIndex ? (rebuildArrays(display) as Record<string, unknown>) : display
  }
}

/** Sets a dotted path; a column that would descend into a scalar another column already set is dropped. */
function setPath(
  target: Record<string, unknown>,
  path: readonly string[],
  value: unknown
): boolean {
  let node = target
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]
    const next = Object.hasOwn(node, key) ? node[key] : undefined
    if (next === undefined) {
      const child: Record<string, unknown> = {}
      setOwn(node, key, child)
      node = child
    } else if (isPlainObject(next)) {
      node = next
    } else {
      return false
    }
  }
  const leaf = path[path.length - 1]
  if (Object.hasOwn(node, leaf) && isPlainObject(node[leaf])) return false
  setOwn(node, leaf, value)
  return true
}

function rebuildArrays(value: unknown): unknown {
  if (!isPlainObject(value)) return value
  const keys = Object.keys(value)
  for (const key of keys) {
    const child = value[key]
    if (isPlainObject(child)) setOwn(value, key, rebuildArrays(child))
  }
  if (keys.length === 0 || !keys.every((key) => INDEX.test(key))) return value
  let max = 0
  for (const key of keys) max = Math.max(max, Number(key))
  if (max - keys.length > MAX_ARRAY_GAP) return value
  const array: unknown[] = new Array<unknown>(max + 1).fill(null)
  for (const key of keys) array[Number(key)] = value[key]
  return array
}
