import type { SyncProgress, SyncSummary } from '@shared/contract/sync-channels'
import { formatBytes } from '../../ingest/read-input'
import { createFileKeyStore, withEnvironmentKey } from '../../sync/key-store'
import { createInProcessExecutor } from '../../sync/sync-executor'
import { createSyncService } from '../../sync/sync-service'
import { parseCommandArgs } from '../args'
import { UsageError, type Command, type CommandIo } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Bring the cache up to date with every source (folders, PostHog projects)',
  usage: `Usage: tapedeck sync [--source ID]... [--prune] [--json] [--data DIR]

Imports new and changed files of folder sources and downloads new and changed recordings (with their events and
persons) of PostHog sources. Incremental and resumable: an interrupted sync continues where it stopped. Files
modified in the last 2 seconds are left for the next sync (they may still be being written). Ctrl-C stops at the
next safe point. A PostHog key is read from the key file stored with the source, else $TAPEDECK_POSTHOG_KEY.

  --source ID  sync only this source (repeatable); see "tapedeck sources list"
  --prune      remove from the cache the recordings whose file was deleted from a folder source
  --json       print the summary as JSON: {"status","runs":[{"sourceId","status","itemsTotal","itemsImported",
               "itemsUnchanged","itemsFailed","bytes","pruned","error","failures":[{"item","reason"}]}]}

Exit code: 0 when everything synced, 2 when a source or some items failed, 130 when interrupted.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...DATA_OPTION,
      source: { type: 'string', multiple: true },
      prune: { type: 'boolean' },
      json: { type: 'boolean' }
    })
    const sourceIds = values.source?.map((value) => {
      const id = Number(value)
      if (!Number.isInteger(id) || id < 1)
        throw new UsageError(`--source expects a source id, got "${value}"`)
      return id
    })
    return withCacheContext(values.data, io, async (context) => {
      const reporter = createSyncReporter(io, values.json ?? false)
      context.emit = (channel, payload) => {
        if (channel === 'sync:progress') reporter.progress(payload as SyncProgress)
      }
      const service = createSyncService(context, {
        watch: false,
        keyStore: withEnvironmentKey(createFileKeyStore(context.dataDir), io.env),
        executor: createInProcessExecutor({ db: context.db, dataDir: context.dataDir })
      })
      const started = service.start({ sourceIds, prune: values.prune ?? false }, 'cli')
      if (!started.ok) {
        const why = {
          'already-running': 'another sync of this data folder is running',
          'no-sources': 'there are no sources; add one with "tapedeck sources add-folder PATH"',
          'unknown-source': 'no source has that id; see "tapedeck sources list"'
        }[started.reason]
        io.stderr.write(`tapedeck sync: ${why}\n`)
        return 2
      }
      let interrupts = 0
      const onSigint = () => {
        interrupts++
        if (interrupts > 1) process.exit(130)
        io.stderr.write('\nStopping at the next safe point (Ctrl-C again to quit now)…\n')
        service.cancel()
      }
      process.on('SIGINT', onSigint)
      try {
        await service.whenIdle()
      } finally {
        process.off('SIGINT', onSigint)
      }
      const summary = service.status().lastSummary as SyncSummary
      reporter.done()
      if (values.json) writeJson(io, summary)
      else printSummary(io, summary)
      if (summary.status === 'cancelled') return 130
      const failed = summary.status === 'failed' || summary.runs.some((run) => run.itemsFailed > 0)
      return failed ? 2 : 0
    })
  }
}

function printSummary(io: CommandIo, summary: SyncSummary): void {
  for (const run of summary.runs) {
    const head = `source ${run.sourceId}: ${run.status}`
    const counts =
      `${run.itemsImported} imported, ${run.itemsUnchanged} unchanged, ${run.itemsFailed} failed` +
      (run.pruned > 0 ? `, ${run.pruned} pruned` : '') +
      ` (${formatBytes(run.bytes)})`
    io.stdout.write(`${head}: ${counts}${run.error ? `\n  error: ${run.error}` : ''}\n`)
    for (const failure of run.failures)
      io.stderr.write(`  failed: ${failure.item}: ${failure.reason}\n`)
  }
  const seconds = (summary.finishedAtMs - summary.startedAtMs) / 1000
  io.stdout.write(`Sync ${summary.status} in ${seconds.toFixed(1)} s.\n`)
}

/** A one-line live progress report on a terminal; silent otherwise (and with --json). */
function createSyncReporter(io: CommandIo, quiet: boolean) {
  const stream = io.stderr as NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  let drawn = false
  return {
    progress(p: SyncProgress) {
      if (quiet || !stream.isTTY) return
      const eta = p.etaMs === null ? '' : `, ${Math.ceil(p.etaMs / 1000)} s left`
      const line =
        `[${p.sourcesDone + 1}/${p.sourcesTotal}] ${p.sourceName}: ${p.phase} ${p.itemsDone}/${p.itemsTotal} ` +
        `${p.unit}, ${formatBytes(p.bytesDone)}` +
        (p.bytesPerSecond > 0 ? ` at ${formatBytes(p.bytesPerSecond)}/s` : '') +
        eta +
        (p.itemsFailed > 0 ? `, ${p.itemsFailed} failed` : '')
      const width = (stream.columns ?? 100) - 1
      stream.write(`\r${line.slice(0, width).padEnd(Math.min(99, width))}`)
      drawn = true
    },
    done() {
      if (drawn) stream.write('\r\x1b[K')
    }
  }
}
