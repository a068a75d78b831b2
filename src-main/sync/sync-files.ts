import { createWriteStream, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Suffix of a file still being written; renamed away when complete, deleted when a sync starts. */
export const PARTIAL_SUFFIX = '.part'

/** Where a PostHog source keeps what it downloads: `<dataDir>/sync/<sourceId>/`. */
export function getSourceSyncDir(dataDir: string, sourceId: number): string {
  return join(dataDir, 'sync', String(Math.trunc(sourceId)))
}

/** A file name safe on every platform for an id coming from a server. */
export function toSafeFileName(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120)
  return safe === '' || safe.startsWith('.') ? `_${safe}` : safe
}

/**
 * Writes a file by appending chunks to `<file>.part` and renaming it to `file` when `commit` is called.
 *
 * A crash or an `abort` leaves no half-written `file` behind: either the whole file is there or none of it.
 */
export type AtomicFileWriter = {
  write: (text: string) => Promise<void>
  commit: () => Promise<number>
  abort: () => Promise<void>
}

export function createAtomicFileWriter(file: string): AtomicFileWriter {
  mkdirSync(dirname(file), { recursive: true })
  const temp = `${file}${PARTIAL_SUFFIX}`
  const stream = createWriteStream(temp)
  let bytes = 0
  let failure: Error | null = null
  stream.on('error', (error) => {
    failure = error
  })
  const closeStream = () =>
    new Promise<void>((resolve, reject) => {
      stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    })
  return {
    async write(text) {
      if (failure) throw failure
      bytes += Buffer.byteLength(text)
      if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve))
    },
    async commit() {
      await closeStream()
      if (failure) throw failure
      renameSync(temp, file)
      return bytes
    },
    async abort() {
      await closeStream().catch(() => undefined)
      rmSync(temp, { force: true })
    }
  }
}

/** Deletes `*.part` files left under `dir` by a sync that died (recursively). */
export function removePartialFilesSync(dir: string): number {
  let removed = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true })
  } catch {
    return 0
  }
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith(PARTIAL_SUFFIX)) {
      rmSync(join(entry.parentPath, entry.name), { force: true })
      removed++
    }
  }
  return removed
}
