import type { HttpClient } from './http-client'

/** The person attached to a recording list entry (MinimalPersonSerializer) or returned by the persons API. */
export type PostHogPerson = {
  id?: string | number | null
  uuid?: string | null
  name?: string | null
  distinct_ids?: string[]
  properties?: Record<string, unknown>
  created_at?: string | null
  is_identified?: boolean
}

/** One entry of `GET /api/projects/{id}/session_recordings/` (FORMATS.md §2.2); only the fields sync reads. */
export type PostHogRecordingEntry = {
  id: string
  distinct_id?: string | null
  start_time: string
  end_time?: string | null
  recording_duration?: number | string | null
  active_seconds?: number | null
  click_count?: number | null
  ongoing?: boolean | null
  snapshot_source?: string | null
  person?: PostHogPerson | null
  [key: string]: unknown
}

export type RecordingListPage = {
  results: PostHogRecordingEntry[]
  has_next?: boolean
  next_cursor?: string | null
}

/** A snapshot source (FORMATS.md §2.3): `blob_v2` blocks, the long-term `blob_v2_lts`, or the legacy kinds. */
export type SnapshotSource = {
  source: string
  start_timestamp?: string | null
  end_timestamp?: string | null
  blob_key?: string | null
}

export type HogQLResponse = {
  columns?: string[]
  results?: unknown[][]
  hasMore?: boolean
  error?: string | null
}

export type PostHogConnection = {
  /** The private API origin, e.g. `https://us.posthog.com` (no trailing slash). */
  host: string
  projectId: string
}

export type ListRecordingsRequest = {
  dateFromMs: number
  dateToMs: number
  limit: number
  offset: number
  /** The `next_cursor` of the previous page, when the server pages by cursor. */
  after?: string | null
}

/** Typed calls on a PostHog project's private API, over a retrying `HttpClient` that carries the key. */
export type PostHogApi = {
  listRecordings: (
    request: ListRecordingsRequest,
    signal?: AbortSignal
  ) => Promise<RecordingListPage>
  listSnapshotSources: (recordingId: string, signal?: AbortSignal) => Promise<SnapshotSource[]>
  /** Snapshot JSONL for `blob_v2` keys `startKey..endKey` (inclusive; at most 20 keys for a personal API key). */
  getBlobV2Range: (
    recordingId: string,
    startKey: string,
    endKey: string,
    signal?: AbortSignal
  ) => Promise<string>
  getBlobV2Lts: (recordingId: string, blobKey: string, signal?: AbortSignal) => Promise<string>
  /** Legacy `blob` (with a key) and `realtime` (without) sources: JSON lines of `{window_id, data: [...]}`. */
  getLegacySnapshots: (
    recordingId: string,
    source: string,
    blobKey: string | null,
    signal?: AbortSignal
  ) => Promise<string>
  query: (hogql: string, signal?: AbortSignal) => Promise<HogQLResponse>
  /** The person with this distinct id, or `null` (anonymous visitors have no profile). */
  findPersonByDistinctId: (
    distinctId: string,
    signal?: AbortSignal
  ) => Promise<PostHogPerson | null>
}

/** Builds the API over `http`, whose headers must already carry `Authorization: Bearer <key>`. */
export function createPostHogApi(connection: PostHogConnection, http: HttpClient): PostHogApi {
  const base = `${connection.host.replace(/\/+$/, '')}/api/projects/${encodeURIComponent(connection.projectId)}`
  const recordingBase = (id: string) => `${base}/session_recordings/${encodeURIComponent(id)}`

  return {
    async listRecordings(request, signal) {
      const params = new URLSearchParams({
        date_from: new Date(request.dateFromMs).toISOString(),
        date_to: new Date(request.dateToMs).toISOString(),
        order: 'start_time',
        order_direction: 'ASC',
        limit: String(request.limit)
      })
      if (request.after) params.set('after', request.after)
      else params.set('offset', String(request.offset))
      return http.getJson<RecordingListPage>(`${base}/session_recordings/?${params}`, signal)
    },
    async listSnapshotSources(recordingId, signal) {
      const page = await http.getJson<{ sources?: SnapshotSource[] }>(
        `${recordingBase(recordingId)}/snapshots`,
        signal
      )
      return page.sources ?? []
    },
    async getBlobV2Range(recordingId, startKey, endKey, signal) {
      const params = new URLSearchParams({
        source: 'blob_v2',
        start_blob_key: startKey,
        end_blob_key: endKey
      })
      const response = await http.request(`${recordingBase(recordingId)}/snapshots?${params}`, {
        signal
      })
      return response.body.toString('utf8')
    },
    async getBlobV2Lts(recordingId, blobKey, signal) {
      const params = new URLSearchParams({ source: 'blob_v2_lts', blob_key: blobKey })
      const response = await http.request(`${recordingBase(recordingId)}/snapshots?${params}`, {
        signal
      })
      return response.body.toString('utf8')
    },
    async getLegacySnapshots(recordingId, source, blobKey, signal) {
      const params = new URLSearchParams({ source })
      if (blobKey) params.set('blob_key', blobKey)
      const response = await http.request(`${recordingBase(recordingId)}/snapshots?${params}`, {
        signal
      })
      return response.body.toString('utf8')
    },
    async query(hogql, signal) {
      return http.postJson<HogQLResponse>(
        `${base}/query/`,
        { query: { kind: 'HogQLQuery', query: hogql }, name: 'tapedeck-sync' },
        signal
      )
    },
    async findPersonByDistinctId(distinctId, signal) {
      const params = new URLSearchParams({ distinct_id: distinctId })
      const page = await http.getJson<{ results?: PostHogPerson[] }>(
        `${base}/persons/?${params}`,
        signal
      )
      return page.results?.[0] ?? null
    }
  }
}
