import type Database from 'better-sqlite3'

/** A connection that may only be read from (by convention; SQLite does not enforce it on one handle). */
export type ReadableDb = Database.Database & { readonly __readable: true }
/** A connection that may be written to. */
export type WritableDb = ReadableDb & { readonly __writable: true }
