import type { ImportProgress, ImportSummary } from '../shared/domain'
import type { AppContext } from '../core/app-context'
import { importPaths } from '../ingest/import-service'

/** Imports requested by the shell (menu, drag and drop, "Open with", the demo data), one run at a time. */
export type ImportRunner = {
  /** Queues an import; resolves with its summary once it (and every run queued before it) has finished. */
  run: (paths: readonly string[]) => Promise<ImportSummary>
  /** True while a run is going or queued. */
  isBusy: () => boolean
}

export type ImportRunnerOptions = {
  /** Called with each progress report (also pushed to the renderer as `import:progress`). */
  onProgress?: (progress: ImportProgress) => void
  onFinished?: (summary: ImportSummary, paths: readonly string[]) => void
  /** The importer; the lead's `importPaths` unless a test passes another. */
  importFn?: typeof importPaths
}

/**
 * Serialises imports on one cache and reports them: `import:progress` (at most ten a second, plus the last) and
 * `import:finished` go to the renderer through `context.emit`, so a drop shows progress wherever the UI listens.
 */
export function createImportRunner(
  context: AppContext,
  options: ImportRunnerOptions = {}
): ImportRunner {
  const importFn = options.importFn ?? importPaths
  let tail: Promise<unknown> = Promise.resolve()
  let queued = 0
  return {
    run(paths) {
      queued++
      const next = tail.then(async () => {
        let lastEmitMs = 0
        const summary = await importFn(context.db, [...paths], {
          onProgress: (progress) => {
            options.onProgress?.(progress)
            const nowMs = Date.now()
            if (progress.filesDone < progress.filesTotal && nowMs - lastEmitMs < 100) return
            lastEmitMs = nowMs
            context.emit('import:progress', progress)
          }
        })
        context.emit('import:finished', summary)
        options.onFinished?.(summary, paths)
        return summary
      })
      tail = next.catch(() => undefined).finally(() => queued--)
      return next
    },
    isBusy: () => queued > 0
  }
}

/**
 * Imports the bundled demo data when the cache has never held anything (no recordings, no import ever run).
 *
 * Sets `context.demoImported` so the UI can say where the data came from. Returns the summary, or null when the
 * cache was not empty.
 */
export async function importDemoIfEmpty(
  context: AppContext,
  runner: ImportRunner,
  demoDir: string
): Promise<ImportSummary | null> {
  const row = context.db
    .prepare<[], { n: number }>(
      `SELECT (SELECT COUNT(*) FROM recordings) + (SELECT COUNT(*) FROM imports) AS n`
    )
    .get()
  if ((row?.n ?? 0) > 0) return null
  context.demoImported = true
  return runner.run([demoDir])
}
