import { importPaths } from '../../ingest/import-service'
import { formatBytes } from '../../ingest/read-input'
import { parseCommandArgs, parseNumberOption } from '../args'
import { UsageError, type Command } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'
import { createProgressBar } from '../progress-bar'

export const importCommand: Command = {
  name: 'import',
  summary: 'Import export files and folders (recordings, events, persons; .gz too)',
  usage: `Usage: tapedeck import PATH... [--data DIR] [--json] [--workers N]

Imports PostHog recording exports (V2, V1, older, rrweb arrays, blob JSONL), event exports (JSONL, JSON, CSV) and
person exports (JSON, JSONL, CSV), gzipped or not. Folders are read recursively (files ending .json, .jsonl,
.ndjson, .csv, .txt, optionally .gz; manifest.json is skipped). A file already imported is reported unchanged, and
so is a file refused for its content before and not modified since (it would fail the same way; its earlier reason
is printed); files that could not be read, or met an internal error, are tried again.

  --data DIR     the data folder (default: $TAPEDECK_DATA, else the desktop app's per-user folder)
  --json         print one JSON object: {"files":{"imported","unchanged","failed"},"recordings","events","persons",
                 "failures":[{"file","reason"}]} (counts after "files" are totals in the cache after the run)
  --workers N    parse in N worker threads (default: 2 for several files of 8 MB+ in all, 1 for one file of
                 128 MB+, else 0 = this thread)

Exit code: 0 when every file imported or was unchanged, 2 when some failed (the others were imported), 1 on a
usage error.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { ...DATA_OPTION, json: { type: 'boolean' }, workers: { type: 'string' } },
      true
    )
    if (positionals.length === 0) throw new UsageError('name at least one file or folder to import')
    const workers = parseNumberOption('workers', values.workers)
    return withCacheContext(values.data, io, async (context) => {
      const bar = values.json ? null : createProgressBar(io.stderr)
      const summary = await importPaths(context.db, positionals, {
        workers: workers === undefined ? undefined : Math.floor(workers),
        onProgress: (progress) => bar?.update(progress)
      })
      bar?.done()
      const failures = summary.outcomes
        .filter((outcome) => outcome.status === 'failed')
        .map((outcome) => ({ file: outcome.file, reason: outcome.reason ?? 'unknown error' }))
      if (values.json) {
        writeJson(io, {
          files: summary.files,
          recordings: summary.totals.recordings,
          events: summary.totals.events,
          persons: summary.totals.persons,
          failures
        })
      } else {
        const seconds = summary.elapsedMs / 1000
        io.stdout.write(
          `${summary.files.imported} imported, ${summary.files.unchanged} unchanged, ${summary.files.failed} failed ` +
            `(${formatBytes(summary.bytesRead)} in ${seconds.toFixed(1)} s)\n` +
            `Cache: ${summary.totals.recordings} recordings, ${summary.totals.persons} persons, ` +
            `${summary.totals.anonymousVisitors} anonymous visitors, ${summary.totals.events} events, ` +
            `${summary.totals.exceptions} exceptions\n`
        )
        for (const outcome of summary.outcomes) {
          if (outcome.status === 'unchanged') continue
          for (const warning of outcome.warnings.slice(0, 5)) io.stderr.write(`warning: ${outcome.file}: ${warning}\n`)
        }
        for (const failure of failures) io.stderr.write(`failed: ${failure.file}: ${failure.reason}\n`)
        for (const outcome of summary.outcomes) {
          if (outcome.status === 'unchanged' && outcome.reason !== null) {
            io.stderr.write(`unchanged, failed before: ${outcome.file}: ${outcome.reason}\n`)
          }
        }
      }
      return failures.length > 0 ? 2 : 0
    })
  }
}
