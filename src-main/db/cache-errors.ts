import { dirname } from 'node:path'

/**
 * The cache cannot be written or opened for a reason outside Tapedeck: a full disk, a read-only or inaccessible data
 * folder. Its message says so in words a person can act on; shells print it without a stack trace.
 */
export class CacheError extends Error {
  constructor(
    readonly code: 'disk-full' | 'read-only' | 'no-access',
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'CacheError'
  }
}

const READ_ONLY_SQLITE = /^SQLITE_READONLY/
const NO_ACCESS_SQLITE = /^SQLITE_(CANTOPEN|PERM|AUTH)/

/**
 * Turns a failure to use the cache at `cacheFile` into a `CacheError` when it comes from the disk or the folder
 * (SQLite's FULL/READONLY/CANTOPEN, the file system's ENOSPC/EROFS/EACCES/EPERM); null for anything else.
 */
export function toCacheError(error: unknown, cacheFile: string): CacheError | null {
  if (error instanceof CacheError) return error
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return null
  const folder = dirname(cacheFile)
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return new CacheError(
      'disk-full',
      `the disk holding the data folder ${folder} is full: free some space and try again (what was imported so far is kept)`,
      { cause: error }
    )
  }
  if (READ_ONLY_SQLITE.test(code) || code === 'EROFS') {
    return new CacheError(
      'read-only',
      `the data folder ${folder} is read-only: Tapedeck needs to write its cache there (make it writable, or choose another folder with --data)`,
      { cause: error }
    )
  }
  if (NO_ACCESS_SQLITE.test(code) || code === 'EACCES' || code === 'EPERM') {
    return new CacheError(
      'no-access',
      `the data folder ${folder} cannot be opened for writing (permission denied): make it writable, or choose another folder with --data`,
      { cause: error }
    )
  }
  return null
}
