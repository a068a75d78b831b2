import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'
import { ImportError } from './import-error'

export type ReadInputOptions = {
  /** Size of each read from disk. */
  chunkBytes?: number
  /** Called with the number of bytes read from disk (compressed bytes for .gz files) after every read. */
  onBytesRead?: (bytes: number) => void
  /** Called with every chunk as read from disk (compressed for .gz files), e.g. to hash the file on the way. */
  onRawChunk?: (chunk: Buffer) => void
  /**
   * Largest decompressed size a gzip file may have before it is treated as a bomb, as a multiple of its compressed
   * size (and at least `minBombBytes`).
   */
  maxGzipRatio?: number
  minBombBytes?: number
}

/**
 * A gzip file may always inflate this far. It was 1 GB, which let a 300 KB file inflate into one 500 MB JSON value
 * and the import take 5 GB of memory before failing (found by the fuzzer, issue 7); real exports compress 5-30×.
 */
const DEFAULT_MIN_BOMB_BYTES = 128 * 1024 * 1024
const GZIP_MAGIC_0 = 0x1f
const GZIP_MAGIC_1 = 0x8b

/**
 * Streams a file's bytes, transparently gunzipping it when it starts with the gzip magic (whatever its name).
 *
 * Throws an `ImportError` for a corrupt or truncated gzip stream and for a gzip bomb.
 */
export async function* readInputBytes(
  path: string,
  sizeBytes: number,
  options: ReadInputOptions = {}
): AsyncGenerator<Buffer> {
  const chunkBytes = options.chunkBytes ?? 1 << 20
  const raw = createReadStream(path, { highWaterMark: chunkBytes })
  let first: Buffer | null = null
  const rawIterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const firstResult = await rawIterator.next()
  if (firstResult.done) return
  first = firstResult.value
  options.onRawChunk?.(first)
  options.onBytesRead?.(first.length)
  const isGzip = first.length >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1
  if (!isGzip) {
    yield first
    for (;;) {
      const next = await rawIterator.next()
      if (next.done) return
      options.onRawChunk?.(next.value)
      options.onBytesRead?.(next.value.length)
      yield next.value
    }
  }

  const gunzip = createGunzip({ chunkSize: chunkBytes })
  const limit = Math.max(options.minBombBytes ?? DEFAULT_MIN_BOMB_BYTES, sizeBytes * (options.maxGzipRatio ?? 200))
  let outBytes = 0
  // Waits for the gunzip stream to take more input, or to be destroyed: a reader that stops early (a bomb, bad JSON)
  // destroys it, which never emits 'drain', and waiting for 'drain' alone left the import hanging forever.
  const writable = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        gunzip.off('drain', done)
        gunzip.off('close', done)
        resolve()
      }
      gunzip.on('drain', done)
      gunzip.on('close', done)
    })
  const pump = (async () => {
    try {
      if (!gunzip.write(first)) await writable()
      for (;;) {
        if (gunzip.destroyed) return
        const next = await rawIterator.next()
        if (next.done) break
        options.onRawChunk?.(next.value)
        options.onBytesRead?.(next.value.length)
        if (!gunzip.write(next.value)) await writable()
      }
      gunzip.end()
    } catch (error) {
      gunzip.destroy(error as Error)
    }
  })()
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      outBytes += chunk.length
      if (outBytes > limit) {
        throw new ImportError(
          'gzip-bomb',
          `gzip data expands past ${formatBytes(limit)} (more than ${options.maxGzipRatio ?? 200}× its size); refused as a likely gzip bomb`
        )
      }
      yield chunk
    }
  } catch (error) {
    if (error instanceof ImportError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw new ImportError('bad-gzip', `corrupt or truncated gzip data (${message})`)
  } finally {
    raw.destroy()
    gunzip.destroy()
    await pump.catch(() => undefined)
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
