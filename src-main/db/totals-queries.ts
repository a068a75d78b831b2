import { statSync } from 'node:fs'
import type { CacheTotals } from '@shared/domain'
import type { ReadableDb } from './types'

/**
 * Totals shown by `tapedeck stats` and the app's status bar.
 *
 * `persons` counts person profiles (identified persons, or persons from a persons export); `anonymousVisitors` counts the other people seen in events (an
 * anonymous visitor is their own person, as in PostHog's funnels). `cacheBytes` is the database file plus its WAL
 * (0 for an in-memory database).
 */
export function getCacheTotals(db: ReadableDb): CacheTotals {
  const row = db
    .prepare(
      `SELECT
        (SELECT count(*) FROM recordings) AS recordings,
        (SELECT count(*) FROM persons WHERE is_identified = 1 OR has_profile = 1) AS persons,
        (SELECT count(*) FROM (SELECT DISTINCT person_key FROM events WHERE person_key IS NOT NULL)
           WHERE person_key NOT IN (SELECT id FROM persons WHERE is_identified = 1 OR has_profile = 1)) AS anonymous_visitors,
        (SELECT count(*) FROM events) AS events,
        (SELECT count(*) FROM exceptions) AS exceptions`
    )
    .get() as { recordings: number; persons: number; anonymous_visitors: number; events: number; exceptions: number }
  return {
    recordings: row.recordings,
    persons: row.persons,
    anonymousVisitors: row.anonymous_visitors,
    events: row.events,
    exceptions: row.exceptions,
    cacheBytes: databaseBytes(db.name)
  }
}

function databaseBytes(file: string): number {
  if (file === ':memory:' || file === '') return 0
  let total = 0
  for (const path of [file, `${file}-wal`]) {
    try {
      total += statSync(path).size
    } catch {
      // No WAL file yet.
    }
  }
  return total
}
