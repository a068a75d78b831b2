import { fileURLToPath } from 'node:url'
import { createApi } from '../../api/create-api'
import { createAssetWebRoute } from '../../assets/asset-web-route'
import { closeAppContext, openAppContext, type AppContext } from '../../core/app-context'
import { resolveDataDir } from '../../core/data-dir'
import { importPaths } from '../../ingest/import-service'
import { disposeSyncService } from '../../sync/sync-service'
import { createEventHub } from '../../web/event-stream'
import { ensureRendererBuilt } from '../../web/renderer-build'
import { SECURITY_HEADERS, startWebHost, type WebHost } from '../../web/web-host'
import { parseCommandArgs, parseNumberOption } from '../args'
import { UsageError, type Command, type CommandIo } from '../command'
import { DATA_OPTION } from '../data-option'

/** The bundled demo dataset. */
export const DEMO_DIR = fileURLToPath(new URL('../../../resources/demo/acme-small', import.meta.url))

/** Port tried first when `--port` is not given; a free one is picked when it is taken. */
const DEFAULT_PORT = 4870

/** True when the cache has never held anything: no recording, and no import ever attempted. */
export function isCacheEmpty(context: AppContext): boolean {
  const row = context.db
    .prepare<[], { n: number }>(`SELECT (SELECT count(*) FROM recordings) + (SELECT count(*) FROM imports) AS n`)
    .get()
  return (row?.n ?? 0) === 0
}

/**
 * Imports the bundled demo data when asked (`--demo`) or when the cache is empty, and records that in the context
 * so the UI can say so. Importing is idempotent: files already in the cache are skipped.
 */
export async function importDemoData(context: AppContext, force: boolean, demoDir = DEMO_DIR): Promise<boolean> {
  if (!force && !isCacheEmpty(context)) return false
  context.demoImported = true
  const summary = await importPaths(context.db, [demoDir], {
    onProgress: (progress) => context.emit('import:progress', progress)
  })
  context.emit('import:finished', summary)
  return true
}

/** Resolves on SIGINT/SIGTERM (or when the host closes), so the command can clean up. */
function waitForStop(host: WebHost): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    host.server.once('close', stop)
  })
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the app in a browser on 127.0.0.1 (prints the URL with its token)',
  usage: `Usage: tapedeck serve [--data DIR] [--port N] [--host ADDRESS] [--demo]

Serves the Tapedeck app and its API on loopback, guarded by a random token made at each start, and prints one line:
"Tapedeck at http://127.0.0.1:PORT/?token=…". Open that URL; the token is exchanged for a cookie. Stop with Ctrl+C.

  --data DIR       the data folder (default: $TAPEDECK_DATA, else the desktop app's per-user folder)
  --port N         port to listen on (default: ${DEFAULT_PORT}, or any free port when that one is taken)
  --host ADDRESS   interface to listen on (default: 127.0.0.1). Anything else exposes the app beyond this machine
                   (the token still guards it): only for trusted networks.
  --demo           import the bundled demo data (acme-small) first; an empty cache gets it anyway

The app is built on first start (or when its sources changed), which takes a few seconds.`,
  async run(argv: string[], io: CommandIo) {
    const { values } = parseCommandArgs(argv, {
      ...DATA_OPTION,
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'boolean' }
    })
    const port = parseNumberOption('port', values.port)
    if (port !== undefined && (!Number.isInteger(port) || port > 65535)) throw new UsageError(`--port expects 0-65535, got "${values.port}"`)
    const host = values.host ?? '127.0.0.1'
    if (host.trim() === '') throw new UsageError('--host expects an address')

    const rendererDir = await ensureRendererBuilt({ env: io.env, log: (line) => io.stderr.write(`${line}\n`) })
    const events = createEventHub({ ...SECURITY_HEADERS })
    const context = openAppContext({ dataDir: resolveDataDir(values.data, io.env), shell: 'web', emit: events.emit })
    let webHost: WebHost | null = null
    try {
      await importDemoData(context, values.demo === true)
      const options = {
        api: createApi(context),
        rendererDir,
        host,
        events,
        routes: [createAssetWebRoute(context.db, context.dataDir)],
        log: (line: string) => io.stderr.write(`${line}\n`)
      }
      try {
        webHost = await startWebHost({ ...options, port: port ?? DEFAULT_PORT })
      } catch (error) {
        if (port !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
        webHost = await startWebHost({ ...options, port: 0 })
      }
      io.stdout.write(`Tapedeck at ${webHost.url}\n`)
      await waitForStop(webHost)
      return 0
    } finally {
      await webHost?.close()
      disposeSyncService(context)
      closeAppContext(context)
      // Anything still holding the event loop (a worker finishing a file) must not keep a stopped server alive.
      setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref()
    }
  }
}
