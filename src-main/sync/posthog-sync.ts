import { join, resolve } from 'node:path'
import { createHttpClient, createLimiter, HttpError, type HttpClientOptions } from './http-client'
import {
  createPostHogApi,
  type PostHogApi,
  type PostHogPerson,
  type PostHogRecordingEntry
} from './posthog-api'
import { fetchSessionEvents, type ExportedEvent } from './posthog-events'
import { downloadRecordingSnapshots, NoSnapshotsError } from './posthog-snapshots'
import type { SourceRecord } from './source-queries'
import { getPostHogCursor, setPostHogCursor } from './source-queries'
import {
  countPendingRecordings,
  getOldestUnsettledStartMs,
  listPendingRecordings,
  queueListedRecordings,
  settleRecordings,
  type RecordingOutcome,
  type SourceRecordingState
} from './source-state-queries'
import type { SourceSyncContext, SourceSyncResult } from './sync-context'
import { addFailure, createSourceSyncResult } from './sync-context'
import {
  createAtomicFileWriter,
  getSourceSyncDir,
  removePartialFilesSync,
  toSafeFileName
} from './sync-files'

const DAY_MS = 86_400_000
/** How far back a first sync reaches when the source names no start. */
export const DEFAULT_SYNC_WINDOW_MS = 30 * DAY_MS
/**
 * Recordings that started this long before the end of the last listing are listed again: PostHog recordings can
 * still grow for about a day (its docs: export only recordings older than 24 h), and a changed one is fetched again.
 */
export const RELIST_OVERLAP_MS = DAY_MS
/** Events this long before a session's first recorded event or after its last still belong to it. */
const EVENTS_MARGIN_MS = DAY_MS

export type PostHogSyncOptions = {
  apiKey: string
  /** Recordings per list page (PostHog's default is 50). */
  pageSize?: number
  /** Recordings downloaded, then imported, together; state is committed after each batch. */
  batchSize?: number
  /** Snapshot downloads in flight at once. */
  concurrency?: number
  eventsPageSize?: number
  http?: Pick<
    HttpClientOptions,
    'fetch' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs' | 'sleep'
  >
  /** Told about every retry (path, wait, reason; never the key). */
  onRetry?: HttpClientOptions['onRetry']
}

/** A recording's fingerprint from its list entry: when any of these change, the recording is fetched again. */
export function recordingVersion(entry: PostHogRecordingEntry): string {
  return JSON.stringify([
    entry.end_time ?? null,
    entry.recording_duration ?? null,
    entry.ongoing ?? null,
    entry.start_time
  ])
}

/** The listing range of a sync: from the cursor (or the source's start) to its end (or now). */
export function getListingRange(
  source: SourceRecord,
  cursor: { listFromMs: number } | null,
  nowMs: number
): { fromMs: number; toMs: number } {
  const sinceMs = source.settings?.sinceMs ?? null
  const toMs = source.settings?.untilMs ?? nowMs
  let fromMs = cursor?.listFromMs ?? sinceMs ?? nowMs - DEFAULT_SYNC_WINDOW_MS
  if (sinceMs !== null && fromMs < sinceMs) fromMs = sinceMs
  return { fromMs: Math.min(fromMs, toMs), toMs }
}

/**
 * Syncs a PostHog project into the cache: lists recordings, downloads new and changed ones as export files under
 * `<dataDir>/sync/<sourceId>/`, with their events and persons, and imports them.
 *
 * Incremental: the listing starts at the source's cursor, and only recordings whose list entry changed are
 * downloaded. Resumable: listed recordings are queued in `source_recordings` and marked done per batch after the
 * import, and files are written through `.part` files, so a sync killed at any point continues where it stopped
 * and ends with the same cache as one that never stopped.
 */
export async function syncPostHogSource(
  context: SourceSyncContext,
  source: SourceRecord,
  options: PostHogSyncOptions
): Promise<SourceSyncResult> {
  const { db, progress, signal } = context
  if (source.kind !== 'posthog' || !source.projectId) throw new Error('not a PostHog source')
  const result = createSourceSyncResult()
  const http = createHttpClient({
    ...options.http,
    headers: { authorization: `Bearer ${options.apiKey}` },
    onRetry: options.onRetry,
    onBytes: (bytes) => {
      result.bytes += bytes
      progress.addBytes(bytes)
    }
  })
  const api = createPostHogApi({ host: source.location, projectId: source.projectId }, http)
  const dir = getSourceSyncDir(context.dataDir, source.id)
  removePartialFilesSync(dir)

  const startedAtMs = context.now()
  const range = getListingRange(source, getPostHogCursor(db, source.id), startedAtMs)
  progress.setPhase('listing')
  const listing = await listRecordings(context, source, api, range, options.pageSize ?? 50)
  result.itemsUnchanged = listing.listed - listing.queued

  progress.setPhase('downloading')
  const pendingTotal = countPendingRecordings(db, source.id)
  result.itemsTotal = listing.listed + pendingTotal - listing.queued
  progress.setTotal(pendingTotal)
  const tried = new Set<string>()
  const people = new Map<string, PostHogPerson | null>()
  const limit = createLimiter(options.concurrency ?? 4)
  for (;;) {
    await context.gate.wait(signal)
    signal.throwIfAborted()
    const batch = listPendingRecordings(db, source.id, options.batchSize ?? 10, tried)
    if (batch.length === 0) break
    for (const item of batch) tried.add(item.recordingId)
    const outcomes = await syncBatch(context, source, api, dir, batch, { limit, people, options })
    settleRecordings(db, source.id, outcomes, context.now())
    let failed = 0
    for (const outcome of outcomes) {
      if (outcome.status === 'imported') result.itemsImported++
      else if (outcome.status === 'gone') result.itemsUnchanged++
      else {
        failed++
        addFailure(result, {
          item: `recording ${outcome.recordingId}`,
          reason: outcome.reason ?? 'failed'
        })
      }
    }
    progress.addItems(batch.length, failed)
  }

  // The next listing starts a day before this one ended, or at the oldest recording still ongoing or unsettled.
  // A source with a fixed end lists its whole range again (recordings can show up late in it; listing is cheap).
  const oldestUnsettledMs = getOldestUnsettledStartMs(db, source.id)
  const relistFromMs =
    source.settings?.untilMs != null ? range.fromMs : range.toMs - RELIST_OVERLAP_MS
  const listFromMs = Math.min(
    relistFromMs,
    listing.oldestOngoingMs ?? Infinity,
    oldestUnsettledMs ?? Infinity
  )
  setPostHogCursor(db, source.id, {
    listFromMs: Math.max(range.fromMs, listFromMs),
    listedToMs: range.toMs
  })
  progress.setCurrentItem(null)
  return result
}

async function listRecordings(
  context: SourceSyncContext,
  source: SourceRecord,
  api: PostHogApi,
  range: { fromMs: number; toMs: number },
  pageSize: number
): Promise<{ listed: number; queued: number; oldestOngoingMs: number | null }> {
  let offset = 0
  let after: string | null = null
  let listed = 0
  let queued = 0
  let oldestOngoingMs: number | null = null
  const seen = new Set<string>()
  for (;;) {
    await context.gate.wait(context.signal)
    const page = await api.listRecordings(
      { dateFromMs: range.fromMs, dateToMs: range.toMs, limit: pageSize, offset, after },
      context.signal
    )
    const results = (page.results ?? []).filter(
      (entry) => typeof entry?.id === 'string' && !seen.has(entry.id)
    )
    const items = results.map((entry) => {
      seen.add(entry.id)
      const startMs = Date.parse(entry.start_time)
      if (entry.ongoing && Number.isFinite(startMs))
        oldestOngoingMs = Math.min(oldestOngoingMs ?? startMs, startMs)
      return {
        recordingId: entry.id,
        version: recordingVersion(entry),
        startMs: Number.isFinite(startMs) ? startMs : range.fromMs,
        entry: JSON.stringify(entry)
      }
    })
    queued += queueListedRecordings(context.db, source.id, items, context.now())
    listed += items.length
    context.progress.setCurrentItem(`listed ${listed} recordings`)
    const rawCount = page.results?.length ?? 0
    if (!page.has_next || rawCount === 0) break
    if (page.next_cursor) after = page.next_cursor
    else offset += rawCount
  }
  return { listed, queued, oldestOngoingMs }
}

type BatchDeps = {
  limit: <T>(task: () => Promise<T>) => Promise<T>
  people: Map<string, PostHogPerson | null>
  options: PostHogSyncOptions
}

type Downloaded = {
  item: SourceRecordingState
  entry: PostHogRecordingEntry
  file: string
  bytes: number
}

/**
 * Downloads one batch (snapshots concurrently, then the batch's events in one paged query, then persons) and
 * imports the files. Returns each recording's outcome; the caller commits them.
 */
async function syncBatch(
  context: SourceSyncContext,
  source: SourceRecord,
  api: PostHogApi,
  dir: string,
  batch: readonly SourceRecordingState[],
  deps: BatchDeps
): Promise<RecordingOutcome[]> {
  const { signal } = context
  const outcomes = new Map<string, RecordingOutcome>()
  const downloaded: Downloaded[] = []
  await Promise.all(
    batch.map((item) =>
      deps.limit(async () => {
        signal.throwIfAborted()
        const entry = JSON.parse(item.entry ?? 'null') as PostHogRecordingEntry | null
        if (!entry) {
          outcomes.set(
            item.recordingId,
            failedOutcome(item, 'the list entry was lost; it is fetched again next sync')
          )
          return
        }
        const file = join(dir, 'recordings', `${toSafeFileName(entry.id)}.json`)
        context.progress.setCurrentItem(entry.id)
        try {
          const download = await downloadRecordingSnapshots(api, entry, file, signal)
          downloaded.push({ item, entry, file, bytes: download.fileBytes })
        } catch (error) {
          if (signal.aborted) throw error
          outcomes.set(item.recordingId, snapshotFailure(item, error))
        }
      })
    )
  )
  signal.throwIfAborted()
  if (downloaded.length === 0)
    return batch.map((item) => outcomes.get(item.recordingId) as RecordingOutcome)

  const files = downloaded.map((d) => d.file)
  const eventFiles = new Map<string, string>()
  if (source.settings?.includeEvents !== false) {
    const written = await writeEventFiles(api, dir, downloaded, signal)
    for (const [recordingId, file] of written) eventFiles.set(recordingId, file)
    files.push(...written.values())
  }
  if (source.settings?.includePersons !== false) {
    const personsFile = await writePersonsFile(
      api,
      dir,
      downloaded,
      deps.people,
      deps.limit,
      signal
    )
    if (personsFile) files.push(personsFile)
  }

  context.progress.setPhase('importing')
  const summary = await context.importPaths(context.db, files, { signal })
  context.progress.setPhase('downloading')
  const byPath = new Map(summary.outcomes.map((o) => [resolve(o.file), o]))
  for (const d of downloaded) {
    const recordingOutcome = byPath.get(resolve(d.file))
    const eventsFile = eventFiles.get(d.item.recordingId)
    const eventsOutcome = eventsFile ? byPath.get(resolve(eventsFile)) : undefined
    if (!recordingOutcome || recordingOutcome.status === 'failed') {
      outcomes.set(
        d.item.recordingId,
        failedOutcome(d.item, recordingOutcome?.reason ?? 'the import failed')
      )
    } else if (eventsOutcome?.status === 'failed') {
      outcomes.set(
        d.item.recordingId,
        failedOutcome(d.item, `its events did not import: ${eventsOutcome.reason}`)
      )
    } else {
      outcomes.set(d.item.recordingId, {
        recordingId: d.item.recordingId,
        status: 'imported',
        bytes: d.bytes,
        reason: null
      })
    }
  }
  return batch.map((item) => outcomes.get(item.recordingId) as RecordingOutcome)
}

function failedOutcome(item: SourceRecordingState, reason: string): RecordingOutcome {
  return { recordingId: item.recordingId, status: 'failed', bytes: 0, reason }
}

function snapshotFailure(item: SourceRecordingState, error: unknown): RecordingOutcome {
  // Deleted or expired on the server: nothing to retry until the listing shows it changed.
  if (error instanceof HttpError && (error.status === 404 || error.status === 410)) {
    return {
      recordingId: item.recordingId,
      status: 'gone',
      bytes: 0,
      reason: `deleted on the server (HTTP ${error.status})`
    }
  }
  if (error instanceof NoSnapshotsError) {
    return { recordingId: item.recordingId, status: 'gone', bytes: 0, reason: error.message }
  }
  if (error instanceof HttpError && (error.status === 401 || error.status === 403)) throw error
  return failedOutcome(item, error instanceof Error ? error.message : String(error))
}

/** Writes `events/<sessionId>.jsonl` for every downloaded recording (empty sessions get an empty file too). */
async function writeEventFiles(
  api: PostHogApi,
  dir: string,
  downloaded: readonly Downloaded[],
  signal: AbortSignal
): Promise<Map<string, string>> {
  const starts = downloaded.map((d) => Date.parse(d.entry.start_time)).filter(Number.isFinite)
  const ends = downloaded
    .map((d) => Date.parse(d.entry.end_time ?? d.entry.start_time))
    .filter(Number.isFinite)
  const bySession = await fetchSessionEvents(
    api,
    {
      sessionIds: downloaded.map((d) => d.entry.id),
      fromMs: Math.min(...starts) - EVENTS_MARGIN_MS,
      toMs: Math.max(...ends) + EVENTS_MARGIN_MS
    },
    signal
  )
  const written = new Map<string, string>()
  for (const d of downloaded) {
    const events: ExportedEvent[] = bySession.get(d.entry.id) ?? []
    if (events.length === 0) continue
    const file = join(dir, 'events', `${toSafeFileName(d.entry.id)}.jsonl`)
    const writer = createAtomicFileWriter(file)
    await writer.write(events.map((e) => JSON.stringify(e)).join('\n') + '\n')
    await writer.commit()
    written.set(d.item.recordingId, file)
  }
  return written
}

/**
 * Writes the person profiles of a batch's recordings (from the persons API, once per person per sync) to one JSONL
 * file, or returns `null` when there are none.
 *
 * Visitors without a profile get none here: the list entry's person already travels in the recording's export. A
 * key without `person:read` only loses the extra profile fields, not the sync.
 */
async function writePersonsFile(
  api: PostHogApi,
  dir: string,
  downloaded: readonly Downloaded[],
  people: Map<string, PostHogPerson | null>,
  limit: <T>(task: () => Promise<T>) => Promise<T>,
  signal: AbortSignal
): Promise<string | null> {
  const lookups: { key: string; distinctId: string }[] = []
  for (const d of downloaded) {
    const listed = d.entry.person ?? null
    const distinctId = listed?.distinct_ids?.[0] ?? d.entry.distinct_id ?? null
    const key = listed?.uuid ?? (listed?.id != null ? String(listed.id) : distinctId)
    if (!key || !distinctId || people.has(key)) continue
    people.set(key, null)
    lookups.push({ key, distinctId })
  }
  const found = await Promise.all(
    lookups.map(({ key, distinctId }) =>
      limit(async () => {
        try {
          const person = await api.findPersonByDistinctId(distinctId, signal)
          people.set(key, person)
          return person
        } catch (error) {
          if (signal.aborted) throw error
          return null
        }
      })
    )
  )
  const persons = found.filter(
    (p): p is PostHogPerson => p !== null && (Boolean(p.uuid) || p.id != null)
  )
  if (persons.length === 0) return null
  const file = join(dir, 'persons', `${toSafeFileName(downloaded[0].entry.id)}.jsonl`)
  const writer = createAtomicFileWriter(file)
  await writer.write(persons.map((p) => JSON.stringify(p)).join('\n') + '\n')
  await writer.commit()
  return file
}
