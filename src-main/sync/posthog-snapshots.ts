import type { PostHogApi, PostHogRecordingEntry, SnapshotSource } from './posthog-api'
import { createAtomicFileWriter } from './sync-files'

/** PostHog's limit on `blob_v2` keys per snapshot request made with a personal API key (FORMATS.md §2.3). */
export const MAX_BLOB_KEYS_PER_REQUEST = 20

/** How a recording's snapshots will be fetched: one request per entry. */
export type SnapshotRequest =
  | { kind: 'blob_v2'; startKey: string; endKey: string }
  | { kind: 'blob_v2_lts'; blobKey: string }
  | { kind: 'legacy'; source: string; blobKey: string | null }

/**
 * Plans the requests for a recording's snapshot sources, as PostHog's own player does.
 *
 * When any `blob_v2` source is listed, only those are used (mixing kinds duplicates data): their numeric keys are
 * sorted and grouped into runs of consecutive keys of at most `maxKeys`. Else `blob_v2_lts` keys, else the older
 * `blob` and `realtime` sources, in listed order.
 */
export function planSnapshotRequests(
  sources: readonly SnapshotSource[],
  maxKeys = MAX_BLOB_KEYS_PER_REQUEST
): SnapshotRequest[] {
  const blobV2Keys = sources
    .filter((s) => s.source === 'blob_v2' && s.blob_key != null)
    .map((s) => String(s.blob_key))
  if (blobV2Keys.length > 0) {
    const numeric = blobV2Keys.every((key) => /^\d+$/.test(key))
    const keys = [...new Set(blobV2Keys)].sort((a, b) =>
      numeric ? Number(a) - Number(b) : a.localeCompare(b)
    )
    const requests: SnapshotRequest[] = []
    let start = 0
    for (let i = 1; i <= keys.length; i++) {
      const isBreak =
        i === keys.length ||
        i - start >= maxKeys ||
        !numeric ||
        Number(keys[i]) !== Number(keys[i - 1]) + 1
      if (isBreak) {
        requests.push({ kind: 'blob_v2', startKey: keys[start], endKey: keys[i - 1] })
        start = i
      }
    }
    return requests
  }
  const lts = sources.filter((s) => s.source === 'blob_v2_lts' && s.blob_key != null)
  if (lts.length > 0) return lts.map((s) => ({ kind: 'blob_v2_lts', blobKey: String(s.blob_key) }))
  return sources
    .filter((s) => s.source === 'blob' || s.source === 'realtime')
    .map((s) => ({
      kind: 'legacy',
      source: s.source,
      blobKey: s.blob_key == null ? null : String(s.blob_key)
    }))
}

type SnapshotEvent = Record<string, unknown> & { windowId?: unknown }

/**
 * Turns one response body (JSON lines, or one JSON document) into events that carry their `windowId`.
 *
 * Accepts every shape the snapshot endpoint has served: `[windowId, event]` lines (`blob_v2`),
 * `{window_id|windowId, data: [events]}` lines (`blob`, `realtime`), `{snapshots: [...]}` documents and bare events.
 * Lines that are not JSON are counted, not fatal: a truncated last line must not lose the rest.
 */
export function parseSnapshotBody(body: string): { events: SnapshotEvent[]; badLines: number } {
  const events: SnapshotEvent[] = []
  let badLines = 0
  const visit = (item: unknown, windowId: unknown): void => {
    if (Array.isArray(item)) {
      if (
        item.length === 2 &&
        (typeof item[0] === 'string' || typeof item[0] === 'number') &&
        isObject(item[1])
      ) {
        visit(item[1], item[0])
      } else {
        for (const inner of item) visit(inner, windowId)
      }
      return
    }
    if (!isObject(item)) return
    if (Array.isArray(item.snapshots)) {
      for (const inner of item.snapshots) visit(inner, windowId)
      return
    }
    const itemWindow = item.window_id ?? item.windowId ?? windowId
    if (Array.isArray(item.data) && !('type' in item)) {
      for (const inner of item.data) visit(inner, itemWindow)
      return
    }
    if ('type' in item && 'timestamp' in item) {
      const { window_id: _ignored, ...event } = item
      events.push(
        itemWindow === undefined || itemWindow === null ? event : { ...event, windowId: itemWindow }
      )
    }
  }
  const trimmed = body.trim()
  if (trimmed === '') return { events, badLines }
  if (trimmed.startsWith('{"snapshots"') || (trimmed.startsWith('[') && !trimmed.includes('\n'))) {
    try {
      visit(JSON.parse(trimmed), undefined)
      return { events, badLines }
    } catch {
      // Fall through to line by line: a single line may still be one `[windowId, event]` pair.
    }
  }
  for (const line of trimmed.split('\n')) {
    if (line.trim() === '') continue
    try {
      visit(JSON.parse(line), undefined)
    } catch {
      badLines++
    }
  }
  return { events, badLines }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export type SnapshotDownload = {
  /** Events written. */
  eventCount: number
  /** Bytes of the file written. */
  fileBytes: number
  requests: number
  badLines: number
}

/** Thrown when a recording has no snapshot data to download (no sources, or every source empty). */
export class NoSnapshotsError extends Error {}

/**
 * Downloads a recording's snapshots into `file` as a PostHog V2 export (`version 2023-04-28`).
 *
 * The envelope carries the session id and the list entry's person explicitly, so the importer needs nothing from
 * the file name; events stay as the server sent them (compressed `cv` fields included: the importer decodes them).
 * Written through a `.part` file renamed at the end, so a crash never leaves a partial export.
 */
export async function downloadRecordingSnapshots(
  api: PostHogApi,
  entry: PostHogRecordingEntry,
  file: string,
  signal?: AbortSignal
): Promise<SnapshotDownload> {
  const sources = await api.listSnapshotSources(entry.id, signal)
  const requests = planSnapshotRequests(sources)
  if (requests.length === 0)
    throw new NoSnapshotsError('the server lists no snapshot sources for this recording')
  const writer = createAtomicFileWriter(file)
  let eventCount = 0
  let badLines = 0
  try {
    await writer.write(
      `{"version":"2023-04-28","data":{"id":${JSON.stringify(entry.id)},"person":${JSON.stringify(entry.person ?? null)},"snapshots":[`
    )
    for (const request of requests) {
      let parsed = parseSnapshotBody(await fetchSnapshotRequest(api, entry.id, request, signal))
      // A body cut short without a transport error (a proxy closing early) ends in a broken line: ask again.
      for (let retry = 0; parsed.badLines > 0 && retry < 2; retry++) {
        parsed = parseSnapshotBody(await fetchSnapshotRequest(api, entry.id, request, signal))
      }
      badLines += parsed.badLines
      if (parsed.events.length === 0) continue
      const text = parsed.events.map((event) => JSON.stringify(event)).join(',\n')
      await writer.write(`${eventCount === 0 ? '\n' : ',\n'}${text}`)
      eventCount += parsed.events.length
    }
    if (eventCount === 0) throw new NoSnapshotsError('the snapshot sources hold no events')
    await writer.write('\n]}}\n')
    const fileBytes = await writer.commit()
    return { eventCount, fileBytes, requests: requests.length + 1, badLines }
  } catch (error) {
    await writer.abort()
    throw error
  }
}

function fetchSnapshotRequest(
  api: PostHogApi,
  recordingId: string,
  request: SnapshotRequest,
  signal?: AbortSignal
): Promise<string> {
  switch (request.kind) {
    case 'blob_v2':
      return api.getBlobV2Range(recordingId, request.startKey, request.endKey, signal)
    case 'blob_v2_lts':
      return api.getBlobV2Lts(recordingId, request.blobKey, signal)
    case 'legacy':
      return api.getLegacySnapshots(recordingId, request.source, request.blobKey, signal)
  }
}
