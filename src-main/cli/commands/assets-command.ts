import { fetchAssets } from '../../assets/asset-fetch-service'
import { getAssetStatus } from '../../assets/asset-queries'
import { DEFAULT_FETCH_LIMITS } from '../../assets/fetch-asset'
import { closeAppContext, openAppContext } from '../../core/app-context'
import { resolveDataDir } from '../../core/data-dir'
import { parseCommandArgs, parseNumberOption } from '../args'
import { UsageError, type Command } from '../command'

const USAGE = `Usage: tapedeck assets fetch [--data DIR] [--concurrency N] [--max-size MB] [--timeout SECONDS] [--retry-failed]
       tapedeck assets status [--data DIR] [--json]

Caches the images, stylesheets and fonts the imported recordings reference, so replays look right offline and
never contact the recorded site. "fetch" downloads what is pending (recordings imported before are read first);
"status" counts what the cache holds.

Options:
  --data DIR          data folder (default: $TAPEDECK_DATA, else the desktop app's folder)
  --concurrency N     downloads at once (default 4)
  --max-size MB       refuse larger files (default ${DEFAULT_FETCH_LIMITS.maxBytes / 1024 / 1024})
  --timeout SECONDS   per download attempt (default ${DEFAULT_FETCH_LIMITS.timeoutMs / 1000})
  --retry-failed      try again the URLs that failed before
  --json              print the status as JSON`

/** `tapedeck assets fetch|status`: the offline asset cache. */
export const assetsCommand: Command = {
  name: 'assets',
  summary: 'Fetch the images, stylesheets and fonts recordings use, for offline replay',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        data: { type: 'string' },
        concurrency: { type: 'string' },
        'max-size': { type: 'string' },
        timeout: { type: 'string' },
        'retry-failed': { type: 'boolean' },
        json: { type: 'boolean' }
      },
      true
    )
    const [action, ...extra] = positionals
    if (action !== 'fetch' && action !== 'status')
      throw new UsageError('expected "fetch" or "status"')
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
    const concurrency = parseNumberOption('concurrency', values.concurrency)
    if (concurrency !== undefined && (concurrency < 1 || concurrency > 32)) {
      throw new UsageError('--concurrency expects 1 to 32')
    }
    const maxSizeMb = parseNumberOption('max-size', values['max-size'])
    const timeoutSeconds = parseNumberOption('timeout', values.timeout)

    const context = openAppContext({ dataDir: resolveDataDir(values.data, io.env), shell: 'cli' })
    try {
      if (action === 'status') {
        const status = getAssetStatus(context.db)
        if (values.json) {
          io.stdout.write(`${JSON.stringify(status, null, 2)}\n`)
        } else {
          io.stdout.write(
            `${status.total} assets: ${status.fetched} cached (${formatBytes(status.storedBytes)}), ` +
              `${status.pending} pending, ${status.failed} failed, ${status.skipped} skipped; ` +
              `${status.unscannedRecordings} recordings not yet read\n`
          )
        }
        return 0
      }

      const controller = new AbortController()
      const onSignal = () => controller.abort()
      process.once('SIGINT', onSignal)
      let lastLineMs = 0
      try {
        const summary = await fetchAssets(context.db, context.dataDir, {
          concurrency,
          retryFailed: values['retry-failed'],
          signal: controller.signal,
          limits: {
            ...(maxSizeMb === undefined ? {} : { maxBytes: Math.round(maxSizeMb * 1024 * 1024) }),
            ...(timeoutSeconds === undefined
              ? {}
              : { timeoutMs: Math.round(timeoutSeconds * 1000) })
          },
          onProgress: (p) => {
            if (!io.stderr.isTTY) return
            const nowMs = Date.now()
            if (nowMs - lastLineMs < 200 && p.done < p.total) return
            lastLineMs = nowMs
            io.stderr.write(
              `\r${p.done}/${p.total} assets, ${formatBytes(p.bytes)}, ${p.failed} failed   `
            )
          }
        })
        if (io.stderr.isTTY) io.stderr.write('\n')
        io.stdout.write(
          `${summary.cancelled ? 'Cancelled: ' : ''}fetched ${summary.fetched} of ${summary.attempted} assets ` +
            `(${formatBytes(summary.bytes)}) in ${(summary.durationMs / 1000).toFixed(1)} s; ` +
            `${summary.failed} failed, ${summary.skipped} skipped` +
            (summary.discovered > 0 ? `, ${summary.discovered} found in stylesheets` : '') +
            (summary.scannedRecordings > 0
              ? `; read ${summary.scannedRecordings} recordings`
              : '') +
            '\n'
        )
        if (summary.failed > 0) {
          io.stdout.write(
            `Run "tapedeck assets fetch --retry-failed" to try the failed ones again.\n`
          )
        }
        return summary.cancelled || summary.failed > 0 ? 2 : 0
      } finally {
        process.off('SIGINT', onSignal)
      }
    } finally {
      closeAppContext(context)
    }
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
