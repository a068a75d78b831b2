import { getCacheTotals } from '../../db/totals-queries'
import { formatBytes } from '../../ingest/read-input'
import { parseCommandArgs } from '../args'
import type { Command } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Totals in the cache (recordings, persons, events, exceptions, size)',
  usage: `Usage: tapedeck stats [--data DIR] [--json]

  --data DIR   the data folder
  --json       print {"recordings","persons","anonymousVisitors","events","exceptions","cacheBytes","dataDir"}`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { ...DATA_OPTION, json: { type: 'boolean' } })
    return withCacheContext(values.data, io, (context) => {
      try {
        context.db.pragma('wal_checkpoint(PASSIVE)')
      } catch {
        // Only tidies the size figure; a full disk (nowhere to checkpoint into) must not hide the totals.
      }
      const totals = getCacheTotals(context.db)
      if (values.json) writeJson(io, { ...totals, dataDir: context.dataDir })
      else {
        io.stdout.write(
          `Data folder: ${context.dataDir}\n` +
            `Recordings:          ${totals.recordings}\n` +
            `Persons:             ${totals.persons}\n` +
            `Anonymous visitors:  ${totals.anonymousVisitors}\n` +
            `Events:              ${totals.events}\n` +
            `Exceptions:          ${totals.exceptions}\n` +
            `Cache size:          ${formatBytes(totals.cacheBytes)}\n`
        )
      }
      return 0
    })
  }
}
