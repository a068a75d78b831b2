import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import type { FakeEvent, FakePostHogData, FakeRecording } from './acme-posthog-data'

/** A misbehaviour the server shows for the next `times` requests whose path and query match `match`. */
export type Fault = {
  match: RegExp
  kind: 'rate-limit' | 'unavailable' | 'drop-mid-body'
  /** `Retry-After` seconds for 'rate-limit' and 'unavailable' (none when omitted). */
  retryAfterSeconds?: number
  times: number
}

/** A 400 answer (the real server's validation errors). */
class BadRequest {
  constructor(readonly detail: string) {}
}

export type LoggedRequest = {
  method: string
  path: string
  query: URLSearchParams
  status: number
  atMs: number
}

export type FakePostHogOptions = {
  apiKey: string
  projectId: string
  /** Events per `blob_v2` block; small so long recordings span more than 20 keys. */
  eventsPerBlock?: number
  /** Recordings served through the legacy `blob` sources instead of `blob_v2`. */
  legacyBlobIds?: string[]
  /** Recordings served through the legacy `realtime` source only. */
  realtimeIds?: string[]
  /** Answer the listing with `next_cursor` (and honour `after`) instead of offsets. */
  cursorPaging?: boolean
  /** Largest page the listing returns, whatever `limit` asks. */
  maxPageSize?: number
}

export type FakePostHogServer = {
  url: string
  requests: LoggedRequest[]
  /** Recordings the listing shows; the others exist but are not yet visible (they "arrive" later). */
  setVisible: (ids: readonly string[] | 'all') => void
  /** Replaces a recording's data (to simulate one that grew since the last sync). */
  replaceRecording: (recording: FakeRecording) => void
  addFault: (fault: Fault) => void
  /** Called after each request is answered (tests kill a syncing process from here). */
  onRequest: (listener: ((request: LoggedRequest) => void) | null) => void
  close: () => Promise<void>
}

/**
 * A local HTTP server (127.0.0.1) that answers the PostHog endpoints Tapedeck syncs from, with the documented
 * response shapes (FORMATS.md §2): the recordings list with paging, snapshot sources and `blob_v2` JSONL (at most 20
 * keys a call), the legacy `blob`/`realtime` sources, the HogQL query API and the persons API. It gzips when asked,
 * requires the bearer key, and can rate-limit, fail with 503 or drop a connection mid-body on demand.
 */
export async function startFakePostHogServer(
  data: FakePostHogData,
  options: FakePostHogOptions
): Promise<FakePostHogServer> {
  const eventsPerBlock = options.eventsPerBlock ?? 15
  const legacyBlob = new Set(options.legacyBlobIds ?? [])
  const realtime = new Set(options.realtimeIds ?? [])
  const recordings = new Map(data.recordings.map((r) => [r.id, r]))
  let visible: Set<string> | null = null
  const faults: Fault[] = []
  const requests: LoggedRequest[] = []
  let listener: ((request: LoggedRequest) => void) | null = null
  const prefix = `/api/projects/${options.projectId}`

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(req, res, 500, { detail: String(error) })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const body = await readBody(req)
    const log = (status: number) => {
      const entry = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        status,
        atMs: Date.now()
      }
      requests.push(entry)
      listener?.(entry)
    }
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      log(401)
      return send(req, res, 401, {
        type: 'authentication_error',
        detail: 'Invalid personal API key.'
      })
    }
    const fault = faults.find((f) => f.times > 0 && f.match.test(`${url.pathname}${url.search}`))
    if (fault) {
      fault.times--
      if (fault.kind === 'drop-mid-body') {
        log(200)
        return dropMidBody(res, routeBody(url, body) ?? { detail: 'x' })
      }
      const status = fault.kind === 'rate-limit' ? 429 : 503
      log(status)
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(fault.retryAfterSeconds) }
      return send(
        req,
        res,
        status,
        {
          detail:
            status === 429 ? 'Request was throttled.' : 'ClickHouse over capacity. Please retry'
        },
        headers
      )
    }
    const answer = routeBody(url, body)
    if (answer === null) {
      log(404)
      return send(req, res, 404, { detail: 'Not found.' })
    }
    if (answer instanceof BadRequest) {
      log(400)
      return send(req, res, 400, { type: 'validation_error', detail: answer.detail })
    }
    log(200)
    if (typeof answer === 'string')
      return send(req, res, 200, answer, { 'content-type': 'application/jsonl' })
    return send(req, res, 200, answer)
  }

  /** The body for a request, or `null` for 404. Strings are JSONL; objects are JSON. */
  function routeBody(url: URL, body: string): unknown {
    const path = url.pathname
    if (!path.startsWith(`${prefix}/`)) return null
    const rest = path.slice(prefix.length)
    if (rest === '/session_recordings/') return listRecordings(url.searchParams)
    const snapshots = /^\/session_recordings\/([^/]+)\/snapshots\/?$/.exec(rest)
    if (snapshots) return snapshotBody(decodeURIComponent(snapshots[1]), url.searchParams)
    if (rest === '/query/')
      return runQuery(JSON.parse(body) as { query: { kind: string; query: string } })
    if (rest === '/persons/') {
      const distinctId = url.searchParams.get('distinct_id')
      const results = data.persons.filter(
        (p) => distinctId !== null && p.distinct_ids?.includes(distinctId)
      )
      return { results, next: null, previous: null }
    }
    return null
  }

  function visibleRecordings(): FakeRecording[] {
    return [...recordings.values()]
      .filter((r) => visible === null || visible.has(r.id))
      .sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id))
  }

  function listRecordings(params: URLSearchParams): unknown {
    const fromMs = Date.parse(params.get('date_from') ?? '') || Date.now() - 3 * 86_400_000
    const toMs = Date.parse(params.get('date_to') ?? '') || Date.now()
    let list = visibleRecordings().filter((r) => r.startMs >= fromMs && r.startMs <= toMs)
    if (params.get('order_direction') === 'DESC') list = list.reverse()
    const limit = Math.min(Number(params.get('limit') ?? 50), options.maxPageSize ?? 50)
    let offset = Number(params.get('offset') ?? 0)
    if (options.cursorPaging && params.get('after'))
      offset = Number(Buffer.from(params.get('after') as string, 'base64url').toString())
    const page = list.slice(offset, offset + limit)
    const hasNext = offset + limit < list.length
    return {
      results: page.map(toListEntry),
      has_next: hasNext,
      version: 4,
      ...(options.cursorPaging && hasNext
        ? { next_cursor: Buffer.from(String(offset + limit)).toString('base64url') }
        : {})
    }
  }

  function toListEntry(r: FakeRecording): Record<string, unknown> {
    const person = r.person
      ? { ...r.person, distinct_ids: (r.person.distinct_ids ?? []).slice(0, 10) }
      : null
    return {
      id: r.id,
      distinct_id: r.distinctId,
      viewed: false,
      viewers: [],
      recording_duration: Math.round((r.endMs - r.startMs) / 1000),
      active_seconds: Math.round((r.endMs - r.startMs) / 2000),
      inactive_seconds: Math.round((r.endMs - r.startMs) / 2000),
      start_time: new Date(r.startMs).toISOString(),
      end_time: new Date(r.endMs).toISOString(),
      click_count: r.clickCount,
      keypress_count: 0,
      mouse_activity_count: 0,
      console_log_count: 0,
      console_warn_count: 0,
      console_error_count: 0,
      start_url: r.startUrl,
      person,
      retention_period_days: 30,
      snapshot_source: 'web',
      ongoing: r.ongoing ?? false,
      activity_score: null
    }
  }

  function blocksOf(r: FakeRecording): [string, Record<string, unknown>][][] {
    const blocks: [string, Record<string, unknown>][][] = []
    for (let i = 0; i < r.lines.length; i += eventsPerBlock)
      blocks.push(r.lines.slice(i, i + eventsPerBlock))
    return blocks
  }

  function snapshotBody(id: string, params: URLSearchParams): unknown {
    const r = recordings.get(id)
    if (!r || (visible !== null && !visible.has(id))) return null
    const source = params.get('source')
    const blocks = blocksOf(r)
    if (source === null) {
      if (realtime.has(id))
        return {
          sources: [
            { source: 'realtime', start_timestamp: null, end_timestamp: null, blob_key: null }
          ]
        }
      if (legacyBlob.has(id)) {
        const half = Math.ceil(r.lines.length / 2)
        const parts = [r.lines.slice(0, half), r.lines.slice(half)].filter((p) => p.length > 0)
        return {
          sources: parts.map((part) => ({
            source: 'blob',
            start_timestamp: new Date(Number(part[0][1].timestamp)).toISOString(),
            end_timestamp: new Date(Number(part[part.length - 1][1].timestamp)).toISOString(),
            blob_key: `${part[0][1].timestamp}-${part[part.length - 1][1].timestamp}`
          }))
        }
      }
      return {
        sources: blocks.map((block, key) => ({
          source: 'blob_v2',
          start_timestamp: new Date(Number(block[0][1].timestamp)).toISOString(),
          end_timestamp: new Date(Number(block[block.length - 1][1].timestamp)).toISOString(),
          blob_key: String(key)
        }))
      }
    }
    if (source === 'blob_v2') {
      if (realtime.has(id) || legacyBlob.has(id)) return null
      const start = Number(params.get('start_blob_key'))
      const end = Number(params.get('end_blob_key'))
      if (
        !Number.isInteger(start) ||
        !Number.isInteger(end) ||
        end < start ||
        end - start + 1 > 20
      ) {
        return new BadRequest('at most 20 blob keys per request')
      }
      return blocks
        .slice(start, end + 1)
        .flat()
        .map((line) => JSON.stringify(line))
        .join('\n')
    }
    if (source === 'blob' || source === 'realtime') {
      let lines = r.lines
      if (source === 'blob') {
        const [from, to] = (params.get('blob_key') ?? '').split('-').map(Number)
        lines = lines.filter(([, e]) => Number(e.timestamp) >= from && Number(e.timestamp) <= to)
      }
      const byWindow = new Map<string, Record<string, unknown>[]>()
      for (const [windowId, event] of lines)
        byWindow.set(windowId, [...(byWindow.get(windowId) ?? []), event])
      return [...byWindow]
        .map(([windowId, events]) => JSON.stringify({ window_id: windowId, data: events }))
        .join('\n')
    }
    return null
  }

  function runQuery(request: { query: { kind: string; query: string } }): unknown {
    if (request.query?.kind !== 'HogQLQuery') return new BadRequest('unsupported query kind')
    const q = request.query.query
    const ids =
      /\$session_id IN \(([^)]*)\)/
        .exec(q)?.[1]
        .match(/'([^']*)'/g)
        ?.map((s) => s.slice(1, -1)) ?? []
    const times = [...q.matchAll(/timestamp (>=|<=|>|=) toDateTime\('([^']+)'\)/g)]
    const afterUuid = /toString\(uuid\) > '([^']*)'/.exec(q)?.[1] ?? null
    const limit = Number(/LIMIT (\d+)/.exec(q)?.[1] ?? 100)
    const micros = (iso: string) =>
      Date.parse(iso) * 1000 + Number(/\.\d{3}(\d{3})/.exec(iso)?.[1] ?? '0')
    let rows = data.events.filter((e) => ids.includes(String(e.properties.$session_id)))
    for (const [, op, iso] of times) {
      const bound = micros(iso)
      if (op === '>=') rows = rows.filter((e) => micros(e.timestamp) >= bound)
      if (op === '<=') rows = rows.filter((e) => micros(e.timestamp) <= bound)
      if (op === '>' && afterUuid !== null) {
        rows = rows.filter(
          (e) =>
            micros(e.timestamp) > bound || (micros(e.timestamp) === bound && e.uuid > afterUuid)
        )
      }
    }
    rows.sort((a, b) => micros(a.timestamp) - micros(b.timestamp) || a.uuid.localeCompare(b.uuid))
    const page = rows.slice(0, limit)
    const columns = [
      'uuid',
      'event',
      'distinct_id',
      'person_id',
      'timestamp',
      'properties',
      'elements_chain',
      'created_at',
      '$session_id'
    ]
    return {
      columns,
      types: [
        'UUID',
        'String',
        'String',
        'UUID',
        "DateTime64(6, 'UTC')",
        'String',
        'String',
        "DateTime64(6, 'UTC')",
        'String'
      ],
      results: page.map((e: FakeEvent) => [
        e.uuid,
        e.event,
        e.distinct_id,
        e.person_id,
        toClickHouseTime(e.timestamp),
        JSON.stringify(e.properties),
        e.elements_chain ?? '',
        e.created_at ? toClickHouseTime(e.created_at) : null,
        e.properties.$session_id ?? null
      ]),
      hasMore: rows.length > limit,
      limit,
      offset: 0,
      is_cached: false
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setVisible(ids) {
      visible = ids === 'all' ? null : new Set(ids)
    },
    replaceRecording(recording) {
      recordings.set(recording.id, recording)
    },
    addFault: (fault) => faults.push(fault),
    onRequest(next) {
      listener = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** `2026-10-12T08:04:06.891Z` → `2026-10-12T08:04:06.891000Z`, as DateTime64(6) columns come out of the API. */
function toClickHouseTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function encode(
  req: IncomingMessage,
  payload: unknown
): { body: Buffer; headers: Record<string, string> } {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
  const raw = Buffer.from(text, 'utf8')
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    return { body: gzipSync(raw), headers: { 'content-encoding': 'gzip' } }
  }
  return { body: raw, headers: {} }
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {}
): void {
  const { body, headers: encodingHeaders } = encode(req, payload)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...encodingHeaders,
    ...headers
  })
  res.end(body)
}

/** Promises the whole body, sends half of it, then cuts the connection. */
function dropMidBody(res: ServerResponse, payload: unknown): void {
  const body = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8')
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) })
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    setTimeout(() => res.destroy(), 5)
  })
}
