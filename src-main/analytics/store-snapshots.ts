import type { ReadableDb, WritableDb } from '../db/types'

/** One piece of a snapshot: a typed array kept as its bytes, or a JSON value. */
export type SnapshotPart = Float64Array | Int32Array | { json: unknown }

/**
 * Where the analytics engine saves its columns between runs (the `analytics_snapshots` table of the cache).
 *
 * Every entry carries the data fingerprint it was built from; `read` returns nothing when the fingerprint differs,
 * and `write` drops the entries of other fingerprints. Both swallow SQLite errors (a read-only folder, a cache
 * older than the table, a lock held by an import): a snapshot is only ever a shortcut.
 */
export type SnapshotStore = {
  read(key: string, fingerprint: string): SnapshotPart[] | undefined
  /** Returns false when the entry could not be written. */
  write(key: string, fingerprint: string, parts: readonly SnapshotPart[]): boolean
  /** The fingerprint an entry is saved under, whatever the current data (an update starts from it). */
  findFingerprint(key: string): string | undefined
}

type PartHeader = { kind: 'f64' | 'i32' | 'json'; bytes: number }

const ALIGN = 8

/**
 * A snapshot store reading through `reader` and writing through the connection `openWriter` returns (opened on the
 * first write; null means snapshots are read but never written).
 */
export function createSnapshotStore(
  reader: ReadableDb,
  openWriter: () => WritableDb | null
): SnapshotStore {
  let writer: WritableDb | null | undefined
  return {
    read(key, fingerprint) {
      try {
        const data = reader
          .prepare(`SELECT data FROM analytics_snapshots WHERE key = ? AND fingerprint = ?`)
          .pluck()
          .get(key, fingerprint) as Buffer | undefined
        return data === undefined ? undefined : decodeSnapshot(data)
      } catch {
        return undefined
      }
    },
    findFingerprint(key) {
      try {
        return reader
          .prepare(`SELECT fingerprint FROM analytics_snapshots WHERE key = ?`)
          .pluck()
          .get(key) as string | undefined
      } catch {
        return undefined
      }
    },
    write(key, fingerprint, parts) {
      try {
        if (writer === undefined) writer = openWriter()
        if (writer === null) return false
        const db = writer
        const data = encodeSnapshot(parts)
        db.transaction(() => {
          db.prepare(`DELETE FROM analytics_snapshots WHERE fingerprint <> ?`).run(fingerprint)
          db.prepare(
            `INSERT OR REPLACE INTO analytics_snapshots (key, fingerprint, data, written_at_ms)
             VALUES (?, ?, ?, ?)`
          ).run(key, fingerprint, data, Date.now())
        }).immediate()
        return true
      } catch {
        return false
      }
    }
  }
}

/**
 * The snapshot store of a connection used for both reading and writing (the CLI, tests); read-only and in-memory
 * connections only read.
 */
export function createConnectionSnapshotStore(db: ReadableDb): SnapshotStore {
  return createSnapshotStore(db, () => (db.readonly ? null : (db as WritableDb)))
}

/** Encodes parts as one buffer: a u32 header length, the JSON header, then each part 8-byte aligned. */
export function encodeSnapshot(parts: readonly SnapshotPart[]): Buffer {
  const headers: PartHeader[] = []
  const bodies: Uint8Array[] = []
  for (const part of parts) {
    if (part instanceof Float64Array || part instanceof Int32Array) {
      headers.push({ kind: part instanceof Float64Array ? 'f64' : 'i32', bytes: part.byteLength })
      bodies.push(new Uint8Array(part.buffer, part.byteOffset, part.byteLength))
    } else {
      const bytes = Buffer.from(JSON.stringify(part.json), 'utf8')
      headers.push({ kind: 'json', bytes: bytes.byteLength })
      bodies.push(bytes)
    }
  }
  const header = Buffer.from(JSON.stringify(headers), 'utf8')
  let size = align(4 + header.byteLength)
  for (const body of bodies) size += align(body.byteLength)
  const out = Buffer.alloc(size)
  out.writeUInt32LE(header.byteLength, 0)
  header.copy(out, 4)
  let offset = align(4 + header.byteLength)
  for (const body of bodies) {
    out.set(body, offset)
    offset += align(body.byteLength)
  }
  return out
}

/** Decodes what `encodeSnapshot` wrote; typed arrays are copies, so they do not pin the buffer. */
export function decodeSnapshot(data: Buffer): SnapshotPart[] {
  const headerLength = data.readUInt32LE(0)
  const headers = JSON.parse(data.toString('utf8', 4, 4 + headerLength)) as PartHeader[]
  let offset = align(4 + headerLength)
  const parts: SnapshotPart[] = []
  for (const { kind, bytes } of headers) {
    if (offset + bytes > data.byteLength) throw new Error('analytics snapshot is truncated')
    const start = data.byteOffset + offset
    if (kind === 'json')
      parts.push({ json: JSON.parse(data.toString('utf8', offset, offset + bytes)) })
    else if (kind === 'f64') parts.push(new Float64Array(data.buffer.slice(start, start + bytes)))
    else parts.push(new Int32Array(data.buffer.slice(start, start + bytes)))
    offset += align(bytes)
  }
  return parts
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN
}
