/** Why a file could not be imported; `code` is stable for tests and logs, `message` is for people. */
export type ImportErrorCode =
  | 'empty'
  | 'not-json'
  | 'truncated'
  | 'bad-json'
  | 'bad-gzip'
  | 'gzip-bomb'
  | 'too-large'
  | 'too-deep'
  | 'unknown-format'
  | 'no-snapshots'
  | 'no-valid-events'
  | 'bad-record'
  | 'unreadable'
  | 'bad-encoding'

/** An expected failure of one file's import: reported with the file's name, never a crash. */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ImportError'
  }
}
