import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The newest modification time of the TypeScript under `dir` (the sources the built worker was made from). */
function newestSourceMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/**
 * Makes the import benches parse with the built worker bundle (out/main/import-worker.js), as the app does, unless
 * TAPEDECK_IMPORT_WORKER names one or the bundle is older than src-main (it would measure code that is no longer
 * the app's: then the TypeScript sources run through tsx, and the bench says so). Returns what the workers run.
 */
export function useBuiltImportWorker(): string {
  const builtWorker = join(import.meta.dirname, '..', 'out', 'main', 'import-worker.js')
  if (!process.env.TAPEDECK_IMPORT_WORKER && existsSync(builtWorker)) {
    if (statSync(builtWorker).mtimeMs >= newestSourceMs(join(import.meta.dirname, '..', 'src-main'))) {
      process.env.TAPEDECK_IMPORT_WORKER = builtWorker
    } else {
      console.log('out/main/import-worker.js is older than src-main: run `npm run build` to measure the built worker')
    }
  }
  return process.env.TAPEDECK_IMPORT_WORKER ?? 'TypeScript sources through tsx'
}
