import type { Migration } from '../migrate'

/**
 * The event properties that funnels filter on and sessions read (URL parts, referrer, device), extracted into a
 * narrow table beside `events`, so the analytics read them with a scan of a few hundred bytes per event instead of
 * parsing every event's properties JSON (which needs a read of the wide events table too).
 *
 * Each value is what the analytics compare (see `jsonToText` in src-main/analytics/event-store.ts): a JSON string
 * unquoted, any other non-null JSON value as its JSON text, NULL when the property is absent or null. `other` is 1
 * when some value is not a JSON string (a number, boolean, object), so a reader that wants SQLite's `->>` value
 * instead can tell those rare rows apart.
 *
 * Triggers keep the table equal to `events` whatever writes them: an insert, an import that replaces an event's
 * properties (a richer source), a delete. The migration backfills every existing event.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'event-columns',
  up(db) {
    const columns = EVENT_COLUMNS.map((c) => `${c.column} TEXT`).join(', ')
    const names = EVENT_COLUMNS.map((c) => c.column).join(', ')
    const values = (p: string) => EVENT_COLUMNS.map((c) => extractSql(p, c.property)).join(', ')
    const other = (p: string) =>
      `(${EVENT_COLUMNS.map((c) => `json_type(${p}, '${pathOf(c.property)}') NOT IN ('text', 'null')`).join(' OR ')}) IS 1`
    // Delete, then insert: a trigger's own conflict clause gives way to an upsert's, and an `INSERT OR REPLACE INTO
    // events` does not fire the delete trigger.
    const insert = (p: string, rowid: string) =>
      `DELETE FROM event_columns WHERE rowid = ${rowid};
       INSERT INTO event_columns (rowid, other, ${names}) VALUES (${rowid}, ${other(p)}, ${values(p)})`
    db.exec(`
      CREATE TABLE event_columns (rowid INTEGER PRIMARY KEY, other INTEGER NOT NULL, ${columns}) STRICT;
      INSERT INTO event_columns (rowid, other, ${names})
        SELECT rowid, ${other('properties')}, ${values('properties')} FROM events ORDER BY rowid;
      CREATE TRIGGER event_columns_insert AFTER INSERT ON events BEGIN
        ${insert('NEW.properties', 'NEW.rowid')};
      END;
      CREATE TRIGGER event_columns_update AFTER UPDATE OF properties ON events
        WHEN NEW.properties IS NOT OLD.properties BEGIN
        ${insert('NEW.properties', 'NEW.rowid')};
      END;
      CREATE TRIGGER event_columns_delete AFTER DELETE ON events BEGIN
        DELETE FROM event_columns WHERE rowid = OLD.rowid;
      END;
    `)
  }
}

/** The extracted properties and their columns in `event_columns`, most often filtered first. */
export const EVENT_COLUMNS = [
  { property: '$current_url', column: 'current_url' },
  { property: '$pathname', column: 'pathname' },
  { property: '$host', column: 'host' },
  { property: '$referring_domain', column: 'referring_domain' },
  { property: '$browser', column: 'browser' },
  { property: '$os', column: 'os' },
  { property: '$device_type', column: 'device_type' },
  { property: '$device_id', column: 'device_id' }
] as const

function pathOf(property: string): string {
  return `$."${property}"`
}

function extractSql(json: string, property: string): string {
  const path = pathOf(property)
  return `CASE json_type(${json}, '${path}') WHEN 'text' THEN ${json} ->> '${path}' WHEN 'null' THEN NULL ELSE ${json} -> '${path}' END`
}
