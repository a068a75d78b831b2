import type { Migration } from '../migrate'

/**
 * Events are inserted without the `event_columns` insert trigger of migration 0007: its eight `json_extract`s per
 * event in SQL made an events import 15–20% slower. The importer now computes the columns where it parses the
 * event (`eventColumnValues` in src-main/db/event-columns.ts) and inserts them with the event; other writers of
 * `events` call `fillEventColumns` (or the same writer) after their inserts.
 *
 * The update and delete triggers stay: an upsert that replaces an event's properties with a richer source, and a
 * delete, still keep the table equal to `events` whoever writes.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'event-columns-no-insert-trigger',
  up(db) {
    db.exec(`DROP TRIGGER event_columns_insert`)
  }
}
