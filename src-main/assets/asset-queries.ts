import type { ReadableDb, WritableDb } from '../db/types'
import type { AssetStatus } from '@shared/contract/asset-channels'

/** One row of `assets`, mapped. */
export type AssetRecord = {
  url: string
  status: 'pending' | 'fetched' | 'failed' | 'skipped'
  contentHash: string | null
  mime: string | null
  sizeBytes: number | null
  fetchedAtMs: number | null
  attempts: number
  error: string | null
  foundIn: string | null
  depth: number
}

type AssetRow = {
  url: string
  status: AssetRecord['status']
  content_hash: string | null
  mime: string | null
  size_bytes: number | null
  fetched_at_ms: number | null
  attempts: number
  error: string | null
  found_in: string | null
  depth: number
}

function rowToAsset(row: AssetRow): AssetRecord {
  return {
    url: row.url,
    status: row.status,
    contentHash: row.content_hash,
    mime: row.mime,
    sizeBytes: row.size_bytes,
    fetchedAtMs: row.fetched_at_ms,
    attempts: row.attempts,
    error: row.error,
    foundIn: row.found_in,
    depth: row.depth
  }
}

/**
 * Records the asset URLs one recording references and queues new ones for fetching.
 *
 * Additive (a URL already linked is kept), so the importer may call it once per chunk; it also marks the recording
 * as scanned, so call it once per recording even when `urls` is empty. Runs in one transaction (nested inside the
 * caller's, if any). The recording must exist.
 */
export function insertRecordingAssets(
  db: WritableDb,
  recordingId: string,
  urls: Iterable<string>,
  nowMs: number = Date.now()
): void {
  const statements = assetStatements(db)
  // One statement per table over a JSON array: an import links thousands of URLs, and a call per URL costs more
  // than the insert itself.
  const list = JSON.stringify(Array.isArray(urls) ? urls : [...urls])
  db.transaction(() => {
    statements.link.run(recordingId, list)
    statements.queue.run(list)
    statements.markScanned.run(recordingId, nowMs)
  })()
}

type AssetStatements = ReturnType<typeof prepareAssetStatements>
const statementsByDb = new WeakMap<WritableDb, AssetStatements>()

function assetStatements(db: WritableDb): AssetStatements {
  let statements = statementsByDb.get(db)
  if (!statements) statementsByDb.set(db, (statements = prepareAssetStatements(db)))
  return statements
}

function prepareAssetStatements(db: WritableDb) {
  return {
    link: db.prepare(
      `INSERT OR IGNORE INTO recording_assets (recording_id, url) SELECT ?, value FROM json_each(?)`
    ),
    queue: db.prepare(`INSERT OR IGNORE INTO assets (url) SELECT value FROM json_each(?)`),
    markScanned: db.prepare(
      `INSERT INTO recording_asset_scans (recording_id, scanned_at_ms) VALUES (?, ?)
       ON CONFLICT (recording_id) DO UPDATE SET scanned_at_ms = excluded.scanned_at_ms`
    )
  }
}

/**
 * Queues URLs found inside a fetched stylesheet; `depth` is one more than the stylesheet's.
 *
 * Returns the URLs that were new (known ones keep their row and status).
 */
export function insertDiscoveredAssets(
  db: WritableDb,
  foundIn: string,
  urls: Iterable<string>,
  depth: number
): string[] {
  const insert = db.prepare(`INSERT OR IGNORE INTO assets (url, found_in, depth) VALUES (?, ?, ?)`)
  const added: string[] = []
  db.transaction(() => {
    for (const url of urls) if (insert.run(url, foundIn, depth).changes > 0) added.push(url)
  })()
  return added
}

/** The URLs a fetch run should try, those referenced by recordings before those found in stylesheets: pending ones, and failed ones when `retryFailed`. */
export function listAssetsToFetch(
  db: ReadableDb,
  options: { retryFailed?: boolean; limit?: number } = {}
): AssetRecord[] {
  const rows = db
    .prepare<[number, number], AssetRow>(
      `SELECT * FROM assets
       WHERE status = 'pending' OR (? = 1 AND status = 'failed')
       ORDER BY depth, url LIMIT ?`
    )
    .all(options.retryFailed ? 1 : 0, options.limit ?? -1)
  return rows.map(rowToAsset)
}

/** One asset, or undefined when the URL is unknown. */
export function getAsset(db: ReadableDb, url: string): AssetRecord | undefined {
  const row = db.prepare<[string], AssetRow>(`SELECT * FROM assets WHERE url = ?`).get(url)
  return row === undefined ? undefined : rowToAsset(row)
}

/** Marks an asset fetched, with the hash naming its stored file. */
export function markAssetFetched(
  db: WritableDb,
  fetched: {
    url: string
    contentHash: string
    mime: string
    sizeBytes: number
    fetchedAtMs: number
  }
): void {
  db.prepare(
    `UPDATE assets SET status = 'fetched', content_hash = @contentHash, mime = @mime, size_bytes = @sizeBytes,
       fetched_at_ms = @fetchedAtMs, attempts = attempts + 1, error = NULL
     WHERE url = @url`
  ).run(fetched)
}

/** Marks an asset failed (worth retrying later) or skipped (refused for good), with the reason. */
export function markAssetFailed(
  db: WritableDb,
  failure: { url: string; status: 'failed' | 'skipped'; error: string; atMs: number }
): void {
  db.prepare(
    `UPDATE assets SET status = @status, error = @error, fetched_at_ms = @atMs, attempts = attempts + 1
     WHERE url = @url`
  ).run(failure)
}

/** Recordings whose events have not been read for asset URLs, oldest first. */
export function listUnscannedRecordingIds(db: ReadableDb, limit = -1): string[] {
  return db
    .prepare<[number], { id: string }>(
      `SELECT r.id FROM recordings r
       WHERE NOT EXISTS (SELECT 1 FROM recording_asset_scans s WHERE s.recording_id = r.id)
       ORDER BY r.start_ms LIMIT ?`
    )
    .all(limit)
    .map((row) => row.id)
}

/** The asset URLs one recording references, sorted. */
export function listRecordingAssetUrls(db: ReadableDb, recordingId: string): string[] {
  return db
    .prepare<[string], { url: string }>(
      `SELECT url FROM recording_assets WHERE recording_id = ? ORDER BY url`
    )
    .all(recordingId)
    .map((row) => row.url)
}

/** Counts by status, the bytes stored (each distinct file once), and recordings not yet scanned. */
export function getAssetStatus(db: ReadableDb): AssetStatus {
  const counts = db
    .prepare<[], { status: AssetRecord['status']; n: number }>(
      `SELECT status, COUNT(*) AS n FROM assets GROUP BY status`
    )
    .all()
  const byStatus = { pending: 0, fetched: 0, failed: 0, skipped: 0 }
  for (const row of counts) byStatus[row.status] = row.n
  const stored = db
    .prepare<[], { bytes: number | null }>(
      `SELECT SUM(size_bytes) AS bytes FROM
         (SELECT content_hash, MAX(size_bytes) AS size_bytes FROM assets
          WHERE status = 'fetched' GROUP BY content_hash)`
    )
    .get()
  const unscanned = db
    .prepare<[], { n: number }>(
      `SELECT COUNT(*) AS n FROM recordings r
       WHERE NOT EXISTS (SELECT 1 FROM recording_asset_scans s WHERE s.recording_id = r.id)`
    )
    .get()
  return {
    total: byStatus.pending + byStatus.fetched + byStatus.failed + byStatus.skipped,
    ...byStatus,
    storedBytes: stored?.bytes ?? 0,
    unscannedRecordings: unscanned?.n ?? 0
  }
}
