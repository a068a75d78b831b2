import { inflateRawSync } from 'node:zlib'
import { mapCssUrls } from '../shared/asset-urls'
import type { AssetFetchProgress, AssetFetchSummary } from '@shared/contract/asset-channels'
import type { WritableDb } from '../db/types'
import {
  insertDiscoveredAssets,
  insertRecordingAssets,
  listAssetsToFetch,
  listUnscannedRecordingIds,
  markAssetFailed,
  markAssetFetched
} from './asset-queries'
import { writeAssetFileSync } from './asset-store'
import { collectAssetUrls, createAssetScanState, type AssetScanState } from './collect-asset-urls'
import { DEFAULT_FETCH_LIMITS, fetchAsset, type FetchLimits } from './fetch-asset'

type QueuedAsset = { url: string; depth: number }

export type FetchAssetsOptions = {
  /** Downloads in flight at once (default 4). */
  concurrency?: number
  limits?: Partial<FetchLimits>
  retryFailed?: boolean
  /** How deep to follow URLs found inside fetched stylesheets (`@import` chains, fonts); default 3. */
  maxDepth?: number
  signal?: AbortSignal
  onProgress?: (progress: AssetFetchProgress) => void
  now?: () => number
}

/**
 * Reads the stored events of one recording and records the asset URLs they reference.
 *
 * For caches whose recordings were imported without asset collection. Walks the chunks in order with one scan
 * state per window, so relative URLs resolve against that window's page. Returns how many distinct URLs it found.
 */
export function scanRecordingAssets(
  db: WritableDb,
  recordingId: string,
  nowMs = Date.now()
): number {
  const chunks = db
    .prepare<[string], { window_id: string; data: Buffer; encoding: string }>(
      `SELECT window_id, data, encoding FROM snapshot_chunks WHERE recording_id = ? ORDER BY seq`
    )
    .iterate(recordingId)
  const states = new Map<string, AssetScanState>()
  const urls = new Set<string>()
  for (const chunk of chunks) {
    let events: unknown
    try {
      const json = chunk.encoding === 'deflate-raw' ? inflateRawSync(chunk.data) : chunk.data
      events = JSON.parse(json.toString('utf8'))
    } catch {
      continue // an undecodable chunk is the player's to report; it has no assets to offer
    }
    if (!Array.isArray(events)) continue
    let state = states.get(chunk.window_id)
    if (state === undefined) {
      state = createAssetScanState()
      states.set(chunk.window_id, state)
    }
    for (const event of events) collectAssetUrls(event, (url) => urls.add(url), undefined, state)
  }
  insertRecordingAssets(db, recordingId, urls, nowMs)
  return urls.size
}

/**
 * Downloads every pending asset into the cache (and failed ones with `retryFailed`).
 *
 * First reads the recordings not scanned yet. Then runs `concurrency` downloads at a time within the limits; each
 * body is stored under its SHA-256 in `<dataDir>/assets`. URLs found inside fetched stylesheets are queued in the
 * same run, up to `maxDepth`. Each outcome is written as it happens, so a cancelled or crashed run keeps what it got.
 */
export async function fetchAssets(
  db: WritableDb,
  dataDir: string,
  options: FetchAssetsOptions = {}
): Promise<AssetFetchSummary> {
  const now = options.now ?? Date.now
  const startedAtMs = now()
  const limits: FetchLimits = { ...DEFAULT_FETCH_LIMITS, ...options.limits }
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4))
  const maxDepth = options.maxDepth ?? 3
  const signal = options.signal

  let scannedRecordings = 0
  for (const recordingId of listUnscannedRecordingIds(db)) {
    if (signal?.aborted) break
    scanRecordingAssets(db, recordingId, now())
    scannedRecordings++
  }

  const queue: QueuedAsset[] = signal?.aborted
    ? []
    : listAssetsToFetch(db, { retryFailed: options.retryFailed }).map(({ url, depth }) => ({
        url,
        depth
      }))
  const progress: AssetFetchProgress = {
    done: 0,
    total: queue.length,
    fetched: 0,
    failed: 0,
    bytes: 0
  }
  let skipped = 0
  let discovered = 0

  const fail = (url: string, status: 'failed' | 'skipped', error: string) => {
    markAssetFailed(db, { url, status, error, atMs: now() })
    if (status === 'skipped') skipped++
    else progress.failed++
  }

  const handle = async (asset: QueuedAsset): Promise<void> => {
    const result = await fetchAsset(asset.url, limits, signal)
    if (!result.ok) {
      // A download cut short by cancellation stays pending rather than counting as a failure.
      if (!(signal?.aborted && result.error === 'cancelled'))
        fail(asset.url, result.status, result.error)
      return
    }
    const contentHash = writeAssetFileSync(dataDir, result.body)
    markAssetFetched(db, {
      url: asset.url,
      contentHash,
      mime: result.mime,
      sizeBytes: result.body.byteLength,
      fetchedAtMs: now()
    })
    progress.fetched++
    progress.bytes += result.body.byteLength
    if (result.mime === 'text/css' && asset.depth < maxDepth) {
      const found = new Set<string>()
      mapCssUrls(
        result.body.toString('utf8'),
        (url) => {
          found.add(url)
          return undefined
        },
        asset.url
      )
      const added = insertDiscoveredAssets(db, asset.url, found, asset.depth + 1)
      discovered += added.length
      progress.total += added.length
      for (const url of added) queue.push({ url, depth: asset.depth + 1 })
    }
  }

  // A fixed pool: a worker that finds the queue empty waits while others are still running, because a stylesheet
  // being fetched may add to the queue.
  let inFlight = 0
  const waiting: Array<() => void> = []
  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return
      const next = queue.shift()
      if (next === undefined) {
        if (inFlight === 0) return
        await new Promise<void>((resolve) => waiting.push(resolve))
        continue
      }
      inFlight++
      try {
        await handle(next)
      } catch (error) {
        fail(next.url, 'failed', error instanceof Error ? error.message : String(error))
      } finally {
        inFlight--
        progress.done++
        options.onProgress?.({ ...progress })
        for (const wake of waiting.splice(0)) wake()
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))

  return {
    scannedRecordings,
    attempted: progress.done,
    fetched: progress.fetched,
    failed: progress.failed,
    skipped,
    discovered,
    bytes: progress.bytes,
    durationMs: now() - startedAtMs,
    cancelled: signal?.aborted ?? false
  }
}
