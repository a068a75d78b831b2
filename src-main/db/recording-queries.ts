import type {
  ActivitySegment,
  PersonId,
  RecordingDetail,
  RecordingException,
  RecordingId,
  RecordingPage,
  RecordingPlayback,
  RecordingQuery,
  RecordingSummary,
  RecordingTimeline,
  RecordingWindow,
  SnapshotChunkInfo,
  StackFrame,
  TimelineItem,
  TimelineItemKind
} from '@shared/domain'
import type { ReadableDb, WritableDb } from './types'

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 1000

type RecordingRow = {
  id: string
  distinct_id: string | null
  person_id: string | null
  email: string | null
  name: string | null
  start_ms: number
  end_ms: number
  duration_ms: number
  active_ms: number
  click_count: number
  keypress_count: number
  mouse_activity_count: number
  console_log_count: number
  console_warn_count: number
  console_error_count: number
  exception_count: number
  start_url: string | null
  window_count: number
  event_count: number
  viewed_at_ms: number | null
  broken_reason: string | null
  snapshot_source: string
}

const SUMMARY_COLUMNS = `r.id, r.distinct_id, r.person_id, p.email, p.name, r.start_ms, r.end_ms, r.duration_ms, r.active_ms,
  r.click_count, r.keypress_count, r.mouse_activity_count, r.console_log_count, r.console_warn_count,
  r.console_error_count, r.exception_count, r.start_url, r.window_count, r.event_count, r.viewed_at_ms,
  r.broken_reason, r.snapshot_source`

function rowToSummary(row: RecordingRow): RecordingSummary {
  return {
    id: row.id as RecordingId,
    distinctId: row.distinct_id,
    personId: row.person_id as PersonId | null,
    personEmail: row.email,
    personName: row.name,
    startedAtMs: row.start_ms,
    endedAtMs: row.end_ms,
    durationMs: row.duration_ms,
    activeMs: row.active_ms,
    clickCount: row.click_count,
    keypressCount: row.keypress_count,
    mouseActivityCount: row.mouse_activity_count,
    consoleLogCount: row.console_log_count,
    consoleWarnCount: row.console_warn_count,
    consoleErrorCount: row.console_error_count,
    exceptionCount: row.exception_count,
    startUrl: row.start_url,
    windowCount: row.window_count,
    eventCount: row.event_count,
    viewed: row.viewed_at_ms !== null,
    brokenReason: row.broken_reason,
    snapshotSource:
      row.snapshot_source === 'mobile'
        ? 'mobile'
        : row.snapshot_source === 'web'
          ? 'web'
          : 'unknown'
  }
}

/** Each sort as `[key column of recording_list, direction]`; ties always go by rowid (start time) in that direction. */
const SORT_KEYS: Record<
  NonNullable<RecordingQuery['sort']>,
  readonly [string | null, 'ASC' | 'DESC']
> = {
  latest: [null, 'DESC'],
  oldest: [null, 'ASC'],
  longest: ['l.duration_ms', 'DESC'],
  'most-active': ['l.active_ms', 'DESC'],
  'most-errors': ['l.error_total', 'DESC']
}

/**
 * Turns what a person types into an FTS5 query: every word must match, as a phrase (so `jane.doe@x.com` matches the
 * tokens in order), and the last word as a prefix (search as you type). Returns null for blank input.
 */
export function toFtsQuery(text: string): string | null {
  return prefixQuery(searchWords(text))
}

/** Search words as `toFtsQuery` quotes them: each a phrase, the last a prefix. Null when there are none. */
function prefixQuery(words: readonly string[]): string | null {
  if (words.length === 0) return null
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ')
}

/** The words of a search, as `toFtsQuery` quotes them. */
function searchWords(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.replace(/"/g, ' ').trim())
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
}

/** At most this many index terms replace a search's last-word prefix (`toExactFtsQuery`). */
const MAX_PREFIX_TERMS = 8

/**
 * What a connection keeps between queries: the index terms found for each prefix (`termsStartingWith`) and, per FTS
 * table, the query whose matches its match-set table holds (`matchSet`). Valid while the cache is as it was then:
 * `data_version` counts other connections' commits, `changes` this connection's writes (`total_changes()`).
 */
type KeptAnswers = {
  dataVersion: number
  changes: number
  terms: Map<string, string[]>
  sets: Map<MatchSource, string>
  /** Per FTS table, the query a walk last asked the matches of (`matchSet`). */
  asked: Map<MatchSource, string>
  /** Exact counts by filter (`countMatching`): another sort, page or the count after the page reuse them. */
  counts: Map<string, number>
}

const keptAnswers = new WeakMap<ReadableDb, KeptAnswers>()

/** The temporary table each FTS table's matches are gathered in (`matchSet`). */
const MATCH_SETS = {
  recordings_fts: 'temp.list_search_matches',
  recording_urls_fts: 'temp.list_url_matches'
} as const
type MatchSource = keyof typeof MATCH_SETS

function readVersion(db: ReadableDb): [dataVersion: number, changes: number] {
  return db
    .prepare(`SELECT (SELECT data_version FROM pragma_data_version), total_changes()`)
    .raw()
    .get() as [number, number]
}

/**
 * This connection's kept answers, forgotten if the cache changed since; null inside a transaction (nothing is kept
 * or used there: a rollback would undo writes, and the temporary tables' rows, without moving `total_changes()`).
 */
function keptFor(db: ReadableDb): KeptAnswers | null {
  if (db.inTransaction) return null
  let kept = keptAnswers.get(db)
  if (!kept) {
    // Temporary tables: nothing in the cache file changes, and a read-only connection may create and fill them.
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.recordings_fts_terms USING fts5vocab(main, recordings_fts, 'row');
      CREATE TABLE IF NOT EXISTS ${MATCH_SETS.recordings_fts} (rowid INTEGER PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS ${MATCH_SETS.recording_urls_fts} (rowid INTEGER PRIMARY KEY);
    `)
    keptAnswers.set(
      db,
      (kept = {
        dataVersion: -1,
        changes: -1,
        terms: new Map(),
        sets: new Map(),
        asked: new Map(),
        counts: new Map()
      })
    )
  }
  const [dataVersion, changes] = readVersion(db)
  if (dataVersion !== kept.dataVersion || changes !== kept.changes) {
    Object.assign(kept, { dataVersion, changes })
    kept.terms.clear()
    kept.sets.clear()
    kept.asked.clear()
    kept.counts.clear()
  }
  return kept
}

/** At most this many answers are kept in one map (`keptAnswer`); it is emptied when full. */
const MAX_KEPT = 500

/** `answers`' entry for `key`, computed and kept the first time it is asked for (the map is bounded by `MAX_KEPT`). */
function keptAnswer<T>(answers: Map<string, T>, key: string, compute: () => T): T {
  let answer = answers.get(key)
  if (answer === undefined) {
    if (answers.size >= MAX_KEPT) answers.clear()
    answer = compute()
    answers.set(key, answer)
  }
  return answer
}

/**
 * The terms of `recordings_fts` that start with `prefix` (ASCII), up to `atMost + 1` of them (null inside a
 * transaction). Read from an `fts5vocab` table, which walks each term's rows to count them (about 1.5 ms for a term
 * of 100k recordings), so the answer is kept until the cache changes.
 */
function termsStartingWith(db: ReadableDb, prefix: string, atMost: number): string[] | null {
  const kept = keptFor(db)
  if (!kept) return null
  return keptAnswer(kept.terms, `${atMost} ${prefix}`, () => {
    // Terms compare as bytes: every term starting with the prefix sorts before the prefix with its last byte raised.
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
    return db
      .prepare(`SELECT term FROM temp.recordings_fts_terms WHERE term >= ? AND term < ? LIMIT ?`)
      .pluck()
      .all(prefix, end, atMost + 1) as string[]
  })
}

/**
 * A temporary table (rowid primary key) holding the rowids `match` finds in `source`, or null the first time a walk
 * asks for them (SQLite's own rowid set for `IN (SELECT rowid …)` is then cheaper: filling the table costs about 1.4
 * times as much). The second time (the next page, the count, another sort) it is filled, and reused until the cache
 * changes or another query of `source` needs it.
 */
function matchSet(db: ReadableDb, source: MatchSource, match: string): string | null {
  const kept = keptFor(db)
  if (!kept) return null
  const table = MATCH_SETS[source]
  if (kept.sets.get(source) === match) return table
  if (kept.asked.get(source) !== match) {
    kept.asked.set(source, match)
    return null
  }
  kept.sets.delete(source)
  db.prepare(`DELETE FROM ${table}`).run()
  db.prepare(
    `INSERT INTO ${table} (rowid) SELECT rowid FROM ${source} WHERE ${source} MATCH ?`
  ).run(match)
  const [dataVersion, changes] = readVersion(db)
  // Only this connection's own writes to the set since: another connection's commit may be missing from it.
  if (dataVersion === kept.dataVersion) {
    kept.changes = changes
    kept.sets.set(source, match)
  }
  return table
}

/** The match-set table already holding what `match` finds in `source`, or null. */
function keptMatchSet(db: ReadableDb, source: MatchSource, match: string): string | null {
  return keptFor(db)?.sets.get(source) === match ? MATCH_SETS[source] : null
}

/** `filter` with its search and URL filter tested against their match sets (`matchSet`) when walking an index. */
function withMatchSets(db: ReadableDb, filter: Filter): Filter {
  return {
    ...filter,
    ftsSet: filter.fts === null ? null : matchSet(db, 'recordings_fts', filter.fts),
    urlsSet: filter.urls === null ? null : matchSet(db, 'recording_urls_fts', filter.urls)
  }
}

/**
 * `toFtsQuery(text)` with the last word's prefix replaced by the few index terms it stands for (`"chec"*` becomes
 * `("checking" OR "checkout")`): the same matches, but FTS5 then reads each term's rows lazily, in rowid order and
 * one recording at a time, where a prefix query first merges every matching term's rows for the whole table (about
 * 6 ms for a prefix all 100k recordings match, and as much again for each probe of a single recording).
 *
 * Kept as a prefix when SQLite's tokenizer is not certain to split the word as this does (the word is not ASCII:
 * for ASCII, `unicode61` makes tokens of runs of letters and digits, lowered), when the prefix has fewer than 4
 * characters (the table's prefix index answers 2 and 3 as one term; 1 stands for too many), or when it stands for
 * more than `MAX_PREFIX_TERMS` terms or a term that is not plain ASCII, and inside a transaction (`keptFor`).
 * Returns null for blank input.
 */
export function toExactFtsQuery(db: ReadableDb, text: string): string | null {
  return toSearch(db, text)?.query ?? null
}

/** A search's FTS5 query, and whether probing it for one recording is cheap (no prefix merged for it). */
type Search = { query: string; probes: boolean }

/** See `toExactFtsQuery`. */
function toSearch(db: ReadableDb, text: string): Search | null {
  const words = searchWords(text)
  const prefixed = prefixQuery(words)
  const last = words[words.length - 1]
  if (prefixed === null || last === undefined) return null
  const kept: Search = { query: prefixed, probes: false }
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(last)) return kept
  const tokens = last.toLowerCase().match(/[a-z0-9]+/g) ?? []
  const prefix = tokens.pop()
  if (prefix === undefined) return kept
  // The prefix index holds 2 and 3 characters: one term to read, as cheap to probe as a word.
  if (prefix.length < 4) return { query: prefixed, probes: prefix.length > 1 }
  const terms = termsStartingWith(db, prefix, MAX_PREFIX_TERMS)
  if (
    terms === null ||
    terms.length === 0 ||
    terms.length > MAX_PREFIX_TERMS ||
    terms.some((term) => !/^[a-z0-9]+$/.test(term) || !term.startsWith(prefix))
  )
    return kept
  const phrases = terms.map((term) => `"${[...tokens, term].join(' ')}"`)
  const lastQuery = phrases.length === 1 ? phrases[0] : `(${phrases.join(' OR ')})`
  // FTS5 reads `"a" ("b" OR "c")` as a syntax error: a group after a phrase needs its AND spelled out.
  const firstWords = words.slice(0, -1).map((word) => `"${word}"`)
  return {
    query: [...firstWords, lastQuery].join(phrases.length === 1 ? ' ' : ' AND '),
    probes: true
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * The trigram query for "URL contains `text`", or null when the trigram index cannot answer it (fewer than 3
 * characters). The index holds the URL list lowered like `LIKE` folds case (ASCII letters only), so a phrase of the
 * lowered text matches exactly the recordings `urls LIKE '%text%'` matches.
 */
function toUrlTrigramQuery(text: string): string | null {
  if ([...text].length < 3) return null
  return `"${text.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/"/g, '""')}"`
}

type Filter = {
  /** Conditions on `l` (recording_list) and subqueries keyed by `l.rowid`. */
  clauses: string[]
  params: Record<string, unknown>
  /** FTS5 query over `recordings_fts`, if searching. */
  fts: string | null
  /** Whether `fts` is cheap to probe for one recording (`toSearch`). */
  ftsProbes: boolean
  /** Trigram query over `recording_urls_fts`, if filtering by URL. */
  urls: string | null
  /** Tables holding the matches of `fts` and `urls` (`withMatchSets`), which a sort-index walk tests rows against. */
  ftsSet?: string | null
  urlsSet?: string | null
}

/** Builds the conditions and named parameters of a recording query. Values are always parameters. */
function buildFilter(db: ReadableDb, query: RecordingQuery): Filter {
  const clauses: string[] = []
  const params: Record<string, unknown> = {}
  const search = query.text ? toSearch(db, query.text) : null
  const fts = search?.query ?? null
  if (fts) params.fts = fts
  if (query.fromMs !== undefined) {
    clauses.push('l.start_ms >= @fromMs')
    params.fromMs = query.fromMs
  }
  if (query.toMs !== undefined) {
    clauses.push('l.start_ms <= @toMs')
    params.toMs = query.toMs
  }
  if (query.minDurationMs !== undefined) {
    clauses.push('l.duration_ms >= @minDurationMs')
    params.minDurationMs = query.minDurationMs
  }
  if (query.maxDurationMs !== undefined) {
    clauses.push('l.duration_ms <= @maxDurationMs')
    params.maxDurationMs = query.maxDurationMs
  }
  if (query.minActiveMs !== undefined) {
    clauses.push('l.active_ms >= @minActiveMs')
    params.minActiveMs = query.minActiveMs
  }
  if (query.hasExceptions !== undefined)
    clauses.push(query.hasExceptions ? 'l.exception_count > 0' : 'l.exception_count = 0')
  if (query.hasConsoleErrors !== undefined) {
    clauses.push(query.hasConsoleErrors ? 'l.console_error_count > 0' : 'l.console_error_count = 0')
  }
  if (query.viewed !== undefined)
    clauses.push(query.viewed ? 'l.viewed_at_ms IS NOT NULL' : 'l.viewed_at_ms IS NULL')
  if (query.person) {
    clauses.push(`l.rowid IN (SELECT rowid FROM recordings WHERE person_id = @person OR distinct_id = @person
      OR person_id IN (SELECT id FROM persons WHERE email = @person COLLATE NOCASE)
      OR person_id IN (SELECT person_id FROM person_distinct_ids WHERE distinct_id = @person))`)
    params.person = query.person
  }
  let urls: string | null = null
  if (query.urlContains) {
    urls = toUrlTrigramQuery(query.urlContains)
    if (urls) params.urls = urls
    else {
      clauses.push(`l.rowid IN (SELECT rowid FROM recordings WHERE urls LIKE @urlLike ESCAPE '\\')`)
      params.urlLike = `%${escapeLike(query.urlContains)}%`
    }
  }
  if (query.performedEvent) {
    clauses.push(`l.rowid IN (SELECT r2.rowid FROM recordings r2
      WHERE r2.id IN (SELECT session_id FROM events WHERE event = @performedEvent))`)
    params.performedEvent = query.performedEvent
  }
  return { clauses, params, fts, ftsProbes: search?.probes ?? false, urls }
}

const URLS_MATCH =
  'l.rowid IN (SELECT rowid FROM recording_urls_fts WHERE recording_urls_fts MATCH @urls)'
const FTS_MATCH = 'l.rowid IN (SELECT rowid FROM recordings_fts WHERE recordings_fts MATCH @fts)'

/** The covering `recording_list` index of each non-time sort key. */
const SORT_INDEXES: Record<string, string> = {
  'l.duration_ms': 'recording_list_by_duration',
  'l.active_ms': 'recording_list_by_active',
  'l.error_total': 'recording_list_by_errors'
}

/**
 * The FROM clause and conditions that find the matching `recording_list` rows (alias `l`), and how to order them.
 *
 * A search or URL filter is driven by its FTS table (the search first): in start-time order (the FTS rowid order)
 * it stops after the page; in another order every match is looked up in the narrow `recording_list` and sorted,
 * which costs about 0.3 µs per match. Without them, each sort walks its covering `recording_list` index and stops
 * after the page (a common "URL contains" can do the same: `walkTestingUrls`).
 *
 * `walkSortIndex` (a common search or "URL contains" in a duration/activity/errors order) instead walks the sort's
 * covering index and tests each row against the matches, which SQLite gathers once into a rowid set
 * (`IN (SELECT rowid …)`): about 0.15 µs per match to gather, then the walk stops after the page. Without a search
 * or URL filter it only names the sort's index (for a walk that tests each row itself: SQLite could otherwise pick
 * a filter's index and sort, testing every filtered row first).
 */
function plan(
  filter: Filter,
  sort: NonNullable<RecordingQuery['sort']>,
  walkSortIndex = false
): { from: string; where: string[]; order: string } {
  const [key, direction] = SORT_KEYS[sort] ?? SORT_KEYS.latest
  const where = [...filter.clauses]
  let from = 'recording_list l'
  let rowid = 'l.rowid'
  if (walkSortIndex) {
    // In start-time order (counting), SQLite picks the index: a time range, say, is walked by start time.
    from = key === null ? 'recording_list l' : `recording_list l INDEXED BY ${SORT_INDEXES[key]}`
    // The set tests last: the index's own columns rule most rows out first.
    if (filter.fts) where.push(filter.ftsSet ? `l.rowid IN ${filter.ftsSet}` : FTS_MATCH)
    if (filter.urls) where.push(filter.urlsSet ? `l.rowid IN ${filter.urlsSet}` : URLS_MATCH)
  } else if (filter.fts) {
    from = 'recordings_fts f CROSS JOIN recording_list l ON l.rowid = f.rowid'
    where.unshift('f.recordings_fts MATCH @fts')
    rowid = 'f.rowid'
    if (filter.urls) where.push(URLS_MATCH)
  } else if (filter.urls) {
    from = 'recording_urls_fts u CROSS JOIN recording_list l ON l.rowid = u.rowid'
    where.unshift('u.recording_urls_fts MATCH @urls')
    rowid = 'u.rowid'
  }
  const order = key === null ? `${rowid} ${direction}` : `${key} ${direction}, l.rowid ${direction}`
  return { from, where, order }
}

/** "URL contains" tested on one row (walking a sort index): `urls LIKE` on the recording, as the FTS cannot probe. */
const URLS_LIKE_BY_ROW = `(SELECT r3.urls FROM recordings r3 WHERE r3.rowid = l.rowid) LIKE @urlLike ESCAPE '\\'`

/**
 * A page for a common "URL contains" in a duration/activity/errors order: walks the sort index (other filters
 * applied) and tests each row's URLs, so it stops after the page. When the URL's matches are rare early in that
 * order (the sort and the URL correlate), it gives up after a bounded walk and returns null (sort the matches).
 */
function walkTestingUrls(
  db: ReadableDb,
  filter: Filter,
  sort: NonNullable<RecordingQuery['sort']>,
  urlContains: string,
  limit: number,
  offset: number
): number[] | null {
  const { from, where, order } = plan({ ...filter, urls: null }, sort, true)
  const params: Record<string, unknown> = {
    ...filter.params,
    urlLike: `%${escapeLike(urlContains)}%`
  }
  delete params.urls
  const walk = `SELECT l.rowid, ${URLS_LIKE_BY_ROW} FROM ${from} ${whereSql(where)} ORDER BY ${order}`
  return walkTesting(db, walk, params, limit, offset, Math.max(200, (offset + limit) * 4))
}

/** A search tested on one row: FTS5 seeks each of its terms to that rowid (a few µs when `Filter.ftsProbes`). */
const FTS_MATCH_BY_ROW =
  'EXISTS (SELECT 1 FROM recordings_fts f WHERE f.recordings_fts MATCH @fts AND f.rowid = l.rowid)'

/** The most matches a search walk collects (`walkProbingSearch`); a deeper page gathers the matches as a set. */
const PROBED_PAGE_END = 500

/**
 * A page for a common search in a duration/activity/errors order: walks the sort index (other filters applied; a
 * URL filter as a set) and probes each row in the search index, so it stops after the page: about 3.5 µs a row,
 * where gathering the matches as a set costs about 0.15 µs per match (15 ms when every recording matches). Gives up
 * (null) after twice the page or 400 rows, whichever is more, as the set then costs less.
 */
function walkProbingSearch(
  db: ReadableDb,
  filter: Filter,
  sort: NonNullable<RecordingQuery['sort']>,
  limit: number,
  offset: number
): number[] | null {
  const rest = withMatchSets(db, { ...filter, fts: null })
  const { from, where, order } = plan(rest, sort, true)
  const walk = `SELECT l.rowid, ${FTS_MATCH_BY_ROW} FROM ${from} ${whereSql(where)} ORDER BY ${order}`
  return walkTesting(db, walk, filter.params, limit, offset, Math.max(400, (offset + limit) * 2))
}

/**
 * Runs `walk` (rows of `[rowid, 1 if it matches]` in list order) until it has the page's matches, or returns null
 * after `budget` rows.
 */
function walkTesting(
  db: ReadableDb,
  walk: string,
  params: Record<string, unknown>,
  limit: number,
  offset: number,
  budget: number
): number[] | null {
  const statement = db.prepare(walk).raw()
  const wanted = offset + limit
  const hits: number[] = []
  let walked = 0
  for (const [rowid, hit] of statement.iterate(params) as IterableIterator<[number, number]>) {
    if (hit === 1 && hits.push(rowid) >= wanted) break
    if (++walked >= budget) return null
  }
  return hits.slice(offset)
}

/**
 * Whether "URL contains" matches so many recordings (a tenth or more) that walking a sort index and testing each
 * row's URLs finds a page sooner than sorting every trigram match. Counts the matches only up to that tenth.
 */
function urlsAreCommon(db: ReadableDb, urls: string): boolean {
  return remembered(db, `urls ${urls}`, () => countsAsCommon(db, 'recording_urls_fts', urls, 10))
}

/** Whether `match` finds at least a `1/fraction` of the recordings (at least 50) in `table`; counts only that far. */
function countsAsCommon(db: ReadableDb, table: string, match: string, fraction: number): boolean {
  const recordings = db.prepare(`SELECT count(*) FROM recording_list`).pluck().get() as number
  const enough = Math.max(50, Math.ceil(recordings / fraction))
  const matches = db
    .prepare(`SELECT count(*) FROM (SELECT rowid FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`)
    .pluck()
    .get(match, enough) as number
  return matches >= enough
}

/**
 * Plan choices already made for a query text, per database. Only speed depends on them (every plan returns the same
 * rows), so a choice that went stale as the cache grew costs time, never correctness; the memory is bounded.
 */
const commonness = new WeakMap<ReadableDb, Map<string, boolean>>()

function remembered(db: ReadableDb, key: string, decide: () => boolean): boolean {
  let known = commonness.get(db)
  if (!known) commonness.set(db, (known = new Map()))
  return keptAnswer(known, key, decide)
}

/** A person or "performed event" filter: usually selective, so walking a sort index for its rows would go far. */
const hasSelectiveFilter = (query: RecordingQuery) => !!(query.person || query.performedEvent)

/**
 * Whether a search matches so many recordings (a twentieth or more, at least 50) that walking a sort index and
 * testing each row against the set of matches finds a page sooner than sorting every match. Person and "performed
 * event" filters keep the search-driven plan (they are usually selective, so the walk would go far). Counts the
 * matches only up to that twentieth.
 */
function searchIsCommon(db: ReadableDb, query: RecordingQuery, fts: string): boolean {
  if (hasSelectiveFilter(query)) return false
  return remembered(db, `text ${fts}`, () => countsAsCommon(db, 'recordings_fts', fts, 20))
}

const whereSql = (where: string[]) => (where.length > 0 ? `WHERE ${where.join(' AND ')}` : '')

/**
 * How many recordings match `query` (its limit, offset and sort are ignored).
 *
 * Counts over the narrow `recording_list` (and the FTS tables when searching), never the recordings' wide rows. A
 * search alone is counted in its FTS table: every search row belongs to a recording (writers delete both together).
 * With `atMost`, counting stops there (the result is then `min(matches, atMost)`): it walks newest first (where "the
 * last N days" are), and counts an unfiltered list exactly (the table's own count is quicker than a walk).
 *
 * An exact count is kept per connection until the cache changes (`keptFor`): the same filters in another sort or
 * page, and capped counts of them, are answered from it.
 */
export function countRecordings(
  db: ReadableDb,
  query: RecordingQuery = {},
  atMost?: number
): number {
  return countMatching(db, query, buildFilter(db, query), atMost)
}

/** `countRecordings` with the query's filter already built; an exact count is kept until the cache changes. */
function countMatching(
  db: ReadableDb,
  query: RecordingQuery,
  filter: Filter,
  atMost?: number
): number {
  const kept = keptFor(db)
  if (!kept) return countFiltered(db, query, filter, atMost)
  const { counts } = kept
  const key = countKey(filter)
  if (atMost !== undefined) {
    // A capped count of a kept exact count is the smaller of the two.
    const exact = counts.get(key)
    return exact === undefined ? countFiltered(db, query, filter, atMost) : Math.min(exact, atMost)
  }
  return keptAnswer(counts, key, () => countFiltered(db, query, filter))
}

const countKey = (filter: Filter) => JSON.stringify([filter.clauses, filter.params])

/** The exact count of `filter` if one is kept (`countMatching`). */
function keptCount(db: ReadableDb, filter: Filter): number | undefined {
  return keptFor(db)?.counts.get(countKey(filter))
}

/** The FTS table a filter's search (else its URL filter) is matched in, and its query; null with neither. */
function soleMatch(filter: Filter): { table: MatchSource; match: string } | null {
  if (filter.fts !== null) return { table: 'recordings_fts', match: filter.fts }
  return filter.urls === null ? null : { table: 'recording_urls_fts', match: filter.urls }
}

/** Counts what `filter` finds (see `countRecordings`). */
function countFiltered(
  db: ReadableDb,
  query: RecordingQuery,
  filter: Filter,
  atMost?: number
): number {
  if (atMost !== undefined && filter.clauses.length === 0 && !filter.fts && !filter.urls)
    return Math.min(atMost, countMatching(db, query, filter))
  if (
    atMost === undefined &&
    filter.clauses.length > 0 &&
    (filter.fts === null) !== (filter.urls === null)
  ) {
    const counted = countFromFilteredRows(db, filter)
    if (counted !== null) return counted
  }
  const limited = atMost === undefined ? '' : ' LIMIT @atMost'
  const params = atMost === undefined ? filter.params : { ...filter.params, atMost }
  const sole = soleMatch(filter)
  if (filter.clauses.length === 0 && sole && (filter.fts === null) !== (filter.urls === null)) {
    // Only a search or only a URL filter: its FTS table alone knows the count, or its kept match set.
    const { table, match } = sole
    const kept = keptMatchSet(db, table, match)
    if (kept) {
      return db
        .prepare(`SELECT count(*) FROM (SELECT 1 FROM ${kept}${limited})`)
        .pluck()
        .get(atMost === undefined ? {} : { atMost }) as number
    }
    return db
      .prepare(
        `SELECT count(*) FROM (SELECT rowid FROM ${table} WHERE ${table} MATCH @match${limited})`
      )
      .pluck()
      .get({ match, ...(atMost === undefined ? {} : { atMost }) }) as number
  }
  // An exact count of common matches tests them as a rowid set on the filtered rows rather than joining each one
  // (a capped count joins them newest first and stops early).
  const asSets =
    atMost === undefined &&
    ((filter.fts !== null && searchIsCommon(db, query, filter.fts)) ||
      (filter.fts === null && filter.urls !== null && urlsAreCommon(db, filter.urls)))
  const { from, where, order } = plan(asSets ? withMatchSets(db, filter) : filter, 'latest', asSets)
  const ordered = atMost === undefined ? '' : ` ORDER BY ${order}`
  return db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM ${from} ${whereSql(where)}${ordered}${limited})`)
    .pluck()
    .get(params) as number
}

/** Below this many filtered rows, an exact count probes each one in the search index (about 3.5 µs a row). */
const PROBED_COUNT_ROWS = 300

/**
 * The exact count of a search or a URL filter (one of them) with other filters, when the other filters keep fewer
 * recordings than the search or URL matches; else null (counted from the matches). Reads the matches once, in rowid
 * order, and tests each against the filtered rows gathered as a set (the smaller side): "shop" (all 100k recordings)
 * with "has exceptions" (16k) in about 9 ms, where gathering the 100k matches as the set costs 30. A few filtered
 * rows (a person) are probed one by one instead.
 */
function countFromFilteredRows(db: ReadableDb, filter: Filter): number | null {
  const sole = soleMatch(filter)
  if (!sole) return null
  const rows = `SELECT l.rowid FROM recording_list l ${whereSql(filter.clauses)}`
  const filtered = db.prepare(`SELECT count(*) FROM (${rows})`).pluck().get(filter.params) as number
  if (filtered === 0) return 0
  if (filter.fts !== null && filter.ftsProbes && filtered <= PROBED_COUNT_ROWS) {
    return db
      .prepare(
        `SELECT count(*) FROM recording_list l ${whereSql([...filter.clauses, FTS_MATCH_BY_ROW])}`
      )
      .pluck()
      .get(filter.params) as number
  }
  const { table, match } = sole
  const params = { ...filter.params, match }
  const kept = keptMatchSet(db, table, match)
  if (kept) {
    // The matches are at hand (a page walked them): test the filtered rows against them.
    return db
      .prepare(
        `SELECT count(*) FROM recording_list l ${whereSql([...filter.clauses, `l.rowid IN ${kept}`])}`
      )
      .pluck()
      .get(filter.params) as number
  }
  // Counting the matches only up to one more than the filtered rows: FTS5 reads a word's rows lazily.
  const moreMatches =
    (db
      .prepare(
        `SELECT count(*) FROM (SELECT rowid FROM ${table} WHERE ${table} MATCH @match LIMIT @upTo)`
      )
      .pluck()
      .get({ ...params, upTo: filtered + 1 }) as number) > filtered
  if (!moreMatches) return null
  // `+` keeps the set a test on each match instead of a rowid constraint FTS5 would probe the index for.
  return db
    .prepare(
      `SELECT count(*) FROM ${table} t WHERE t.${table} MATCH @match AND +t.rowid IN (${rows})`
    )
    .pluck()
    .get(params) as number
}

/** Options of `searchRecordings`. */
export type SearchOptions = {
  /**
   * Count the matches only up to this many (at least past the page): when there are more, the page's `total` is
   * this number and `totalIsExact` is false (the list shows "1,000+" and asks `countRecordings` for the rest).
   * Without it the total is always exact.
   */
  countAtMost?: number
}

/**
 * One page of the recording list: filtered, searched (FTS5) and sorted; `total` counts every match (or, with
 * `options.countAtMost`, up to that many: see `SearchOptions`).
 *
 * Latest first by default. `limit` defaults to 50 (at most 1000). When the page is the last one (fewer rows than
 * the limit), the total follows from it and no count query runs.
 *
 * Between calls on one connection, until the cache changes, it keeps a search prefix's index terms, the matches a
 * sort-index walk gathered (from their second use) and exact counts (`keptFor`): the next page, another sort or
 * the count reuse them. Every plan returns the same rows; only the time differs.
 */
export function searchRecordings(
  db: ReadableDb,
  query: RecordingQuery = {},
  options: SearchOptions = {}
): RecordingPage {
  const filter = buildFilter(db, query)
  const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)), MAX_LIMIT)
  const offset = Math.max(0, Math.floor(query.offset ?? 0))
  const sort = query.sort ?? 'latest'
  /** A duration/activity/errors order (one with a covering sort index), not start-time order. */
  const byKey = !!SORT_KEYS[sort]?.[0]
  let ids: number[] | null = null
  let walk = false
  if (filter.urls && !filter.fts && byKey && urlsAreCommon(db, filter.urls)) {
    // With the URL's matches at hand (an earlier page gathered them), the walk tests rows against them at once.
    if (!keptMatchSet(db, 'recording_urls_fts', filter.urls))
      ids = walkTestingUrls(db, filter, sort, query.urlContains ?? '', limit, offset)
    // When that walk gave up, the URL's matches come first late in this order: walk it testing the URL match set.
    walk = !hasSelectiveFilter(query)
  }
  /** The total when the page's query counted it too. */
  let countedAlong: { total: number; exact: boolean } | null = null
  const commonSearch = filter.fts !== null && byKey && searchIsCommon(db, query, filter.fts)
  if (
    ids === null &&
    commonSearch &&
    filter.ftsProbes &&
    offset + limit <= PROBED_PAGE_END &&
    !keptMatchSet(db, 'recordings_fts', filter.fts as string)
  )
    ids = walkProbingSearch(db, filter, sort, limit, offset)
  if (ids === null) {
    walk ||= commonSearch
    const { from, where, order } = plan(walk ? withMatchSets(db, filter) : filter, sort, walk)
    const countAtMost = options.countAtMost
    if (
      countAtMost !== undefined &&
      !byKey &&
      (filter.fts !== null || filter.urls !== null) &&
      offset + limit <= 10_000 &&
      keptCount(db, filter) === undefined
    ) {
      // In start-time order a search or URL filter reads its matches once for the page and the capped count (an FTS
      // prefix query gathers every matching term's rows each time it runs): the rowids up to the cap, then a slice.
      const upTo = Math.max(Math.floor(countAtMost), offset + limit) + 1
      const found = db
        .prepare(`SELECT l.rowid FROM ${from} ${whereSql(where)} ORDER BY ${order} LIMIT @upTo`)
        .pluck()
        .all({ ...filter.params, upTo }) as number[]
      ids = found.slice(offset, offset + limit)
      countedAlong =
        found.length < upTo
          ? { total: found.length, exact: true }
          : { total: upTo - 1, exact: false }
    } else {
      ids = db
        .prepare(
          `SELECT l.rowid FROM ${from} ${whereSql(where)} ORDER BY ${order} LIMIT @limit OFFSET @offset`
        )
        .pluck()
        .all({ ...filter.params, limit, offset }) as number[]
    }
  }
  const byRowid = new Map(
    (ids.length === 0
      ? []
      : (db
          .prepare(
            `SELECT r.rowid AS list_rowid, ${SUMMARY_COLUMNS} FROM recordings r LEFT JOIN persons p ON p.id = r.person_id
             WHERE r.rowid IN (SELECT value FROM json_each(?))`
          )
          .all(JSON.stringify(ids)) as (RecordingRow & { list_rowid: number })[])
    ).map((row) => [row.list_rowid, row])
  )
  const rows = ids.flatMap((id) => byRowid.get(id) ?? [])
  let total: number
  let totalIsExact = true
  if (countedAlong) ({ total, exact: totalIsExact } = countedAlong)
  else if (rows.length > 0 && rows.length < limit) total = offset + rows.length
  else if (rows.length === 0 && offset === 0) total = 0
  else if (options.countAtMost === undefined) total = countMatching(db, query, filter)
  else {
    const atMost = Math.max(Math.floor(options.countAtMost), offset + rows.length)
    total = countMatching(db, query, filter, atMost + 1)
    if (total > atMost) {
      total = atMost
      totalIsExact = false
    }
  }
  return { total, totalIsExact, offset, recordings: rows.map(rowToSummary) }
}

/** One recording's list row, or undefined. */
export function getRecordingSummary(db: ReadableDb, id: string): RecordingSummary | undefined {
  const row = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM recordings r LEFT JOIN persons p ON p.id = r.person_id WHERE r.id = ?`
    )
    .get(id) as RecordingRow | undefined
  return row ? rowToSummary(row) : undefined
}

type ExceptionDbRow = {
  id: number
  session_id: string
  window_id: string | null
  timestamp_ms: number
  type: string | null
  message: string | null
  level: string | null
  handled: number | null
  frames: string
  stack_text: string | null
  source: 'event' | 'console' | 'custom'
  issue_id: string | null
}

function rowToException(row: ExceptionDbRow): RecordingException {
  let frames: StackFrame[] = []
  try {
    frames = JSON.parse(row.frames) as StackFrame[]
  } catch {
    frames = []
  }
  return {
    id: row.id,
    sessionId: row.session_id,
    windowId: row.window_id,
    timestampMs: row.timestamp_ms,
    type: row.type,
    message: row.message,
    level: row.level,
    handled: row.handled === null ? null : row.handled === 1,
    frames,
    stackText: row.stack_text,
    source: row.source,
    issueId: row.issue_id
  }
}

/** The exceptions of a session (from `$exception` events and from the recording's console), in time order. */
export function listSessionExceptions(db: ReadableDb, sessionId: string): RecordingException[] {
  return (
    db
      .prepare(
        `SELECT id, session_id, window_id, timestamp_ms, type, message, level, handled, frames, stack_text, source, issue_id
         FROM exceptions WHERE session_id = ? ORDER BY timestamp_ms, id`
      )
      .all(sessionId) as ExceptionDbRow[]
  ).map(rowToException)
}

/**
 * Everything the player needs but the snapshots: windows, activity segments, chunk index, exceptions and the
 * inspector's timeline (the recording's own items plus the session's analytics events). Null when not cached.
 */
export function getRecordingDetail(db: ReadableDb, id: string): RecordingDetail | null {
  const playback = getRecordingPlayback(db, id)
  return playback ? { ...playback, ...readRecordingTimeline(db, id) } : null
}

/** What the player draws its first frame from: the detail without exceptions and timeline. Null when not cached. */
export function getRecordingPlayback(db: ReadableDb, id: string): RecordingPlayback | null {
  const summary = getRecordingSummary(db, id)
  if (!summary) return null
  const extra = db
    .prepare(`SELECT urls, has_network, source_path FROM recordings WHERE id = ?`)
    .get(id) as { urls: string; has_network: number; source_path: string | null }
  const windows = (
    db
      .prepare(
        `SELECT window_id, window_index, first_ms, last_ms, event_count, start_url FROM recording_windows
         WHERE recording_id = ? ORDER BY window_index`
      )
      .all(id) as {
      window_id: string
      window_index: number
      first_ms: number
      last_ms: number
      event_count: number
      start_url: string | null
    }[]
  ).map((w): RecordingWindow => ({
    windowId: w.window_id,
    index: w.window_index,
    firstMs: w.first_ms,
    lastMs: w.last_ms,
    eventCount: w.event_count,
    startUrl: w.start_url
  }))
  const segments = (
    db
      .prepare(
        `SELECT window_id, start_ms, end_ms, is_active FROM recording_segments WHERE recording_id = ? ORDER BY start_ms, rowid`
      )
      .all(id) as { window_id: string; start_ms: number; end_ms: number; is_active: number }[]
  ).map((s): ActivitySegment => ({
    windowId: s.window_id,
    startMs: s.start_ms,
    endMs: s.end_ms,
    isActive: s.is_active === 1
  }))
  const chunks = (
    db
      .prepare(
        `SELECT seq, window_id, first_ms, last_ms, event_count, has_full_snapshot, length(data) AS byte_length
         FROM snapshot_chunks WHERE recording_id = ? ORDER BY seq`
      )
      .all(id) as {
      seq: number
      window_id: string
      first_ms: number
      last_ms: number
      event_count: number
      has_full_snapshot: number
      byte_length: number
    }[]
  ).map((c): SnapshotChunkInfo => ({
    seq: c.seq,
    windowId: c.window_id,
    firstMs: c.first_ms,
    lastMs: c.last_ms,
    eventCount: c.event_count,
    hasFullSnapshot: c.has_full_snapshot === 1,
    byteLength: c.byte_length
  }))
  return {
    summary,
    urls: JSON.parse(extra.urls) as string[],
    windows,
    segments,
    chunks,
    hasNetwork: extra.has_network === 1,
    sourcePath: extra.source_path
  }
}

/** A recording's exceptions and inspector timeline (see `getRecordingDetail`). Null when the recording is not cached. */
export function getRecordingTimeline(db: ReadableDb, id: string): RecordingTimeline | null {
  const known = db.prepare(`SELECT 1 FROM recordings WHERE id = ?`).get(id)
  return known ? readRecordingTimeline(db, id) : null
}

function readRecordingTimeline(db: ReadableDb, id: string): RecordingTimeline {
  const recordingItems = db
    .prepare(
      `SELECT timestamp_ms, window_id, kind, level, label, detail FROM recording_items WHERE recording_id = ?
       ORDER BY timestamp_ms, rowid`
    )
    .all(id) as {
    timestamp_ms: number
    window_id: string | null
    kind: TimelineItemKind
    level: string | null
    label: string
    detail: string | null
  }[]
  const eventItems = db
    .prepare(
      `SELECT timestamp_ms, window_id, event, url FROM events WHERE session_id = ? ORDER BY timestamp_ms`
    )
    .all(id) as {
    timestamp_ms: number
    window_id: string | null
    event: string
    url: string | null
  }[]
  const items: TimelineItem[] = [
    ...recordingItems.map((i) => ({
      timestampMs: i.timestamp_ms,
      windowId: i.window_id,
      kind: i.kind,
      level: i.level,
      label: i.label,
      detail: i.detail
    })),
    ...eventItems.map((e): TimelineItem => ({
      timestampMs: e.timestamp_ms,
      windowId: e.window_id,
      kind: e.event === '$exception' ? 'exception' : 'event',
      level: e.event === '$exception' ? 'error' : null,
      label: e.event,
      detail: e.url
    }))
  ].sort((a, b) => a.timestampMs - b.timestampMs)
  return { exceptions: listSessionExceptions(db, id), items }
}

/**
 * One stored chunk's bytes: a JSON array of one window's rrweb events, raw-deflate compressed. Null if absent.
 */
export function getSnapshotChunk(db: ReadableDb, id: string, seq: number): Uint8Array | null {
  const row = db
    .prepare(`SELECT data FROM snapshot_chunks WHERE recording_id = ? AND seq = ?`)
    .get(id, seq) as { data: Buffer } | undefined
  return row ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null
}

/** Marks a recording viewed (now) or unviewed. Unknown ids are ignored. */
export function markRecordingViewed(
  db: WritableDb,
  id: string,
  viewed: boolean,
  nowMs: number = Date.now()
): void {
  db.prepare(`UPDATE recordings SET viewed_at_ms = ? WHERE id = ?`).run(viewed ? nowMs : null, id)
}
