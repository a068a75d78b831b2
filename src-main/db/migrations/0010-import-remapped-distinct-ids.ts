import type { Migration } from '../migrate'

/**
 * How many distinct ids each import mapped to a person for the first time or to another person (a persons file, or
 * the person a recording export carries). Such a mapping moves that distinct id's older events to the person at the
 * run's relink without changing any count, so the analytics store cannot follow the import by adding its new
 * events (src-main/analytics/event-store.ts). Imports made before this column existed are taken to have mapped some
 * when they brought persons or recordings (the only ones that can).
 */
export const migration0010: Migration = {
  version: 10,
  name: 'import-remapped-distinct-ids',
  up(db) {
    db.exec(`
      ALTER TABLE imports ADD COLUMN remapped_distinct_ids INTEGER NOT NULL DEFAULT 0;
      UPDATE imports SET remapped_distinct_ids = 1 WHERE persons > 0 OR recordings > 0;
    `)
  }
}
