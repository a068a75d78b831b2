import { extname } from 'node:path'

/** File endings the desktop app accepts from the OS ("Open with Tapedeck", command line, drag and drop). */
export const OPENABLE_EXTENSIONS = ['.json', '.jsonl', '.ndjson', '.csv', '.gz'] as const

/**
 * The files to import from a command line: what Electron passes on start and to `second-instance`.
 *
 * Skips the executable, the app path in development (`electron .` / `electron out/main/index.js`), Chromium and app
 * switches (`--…`) and anything not ending in a supported extension. Relative paths resolve against `cwd` (the
 * second instance's working folder). Whether the files exist is left to the importer, which reports each one.
 */
export function extractOpenPaths(
  argv: readonly string[],
  options: { isPackaged: boolean; resolve: (cwd: string, path: string) => string; cwd: string }
): string[] {
  const rest = argv.slice(options.isPackaged ? 1 : 2)
  const paths: string[] = []
  for (const arg of rest) {
    if (arg.startsWith('-')) continue
    const extension = extname(arg).toLowerCase()
    if (!(OPENABLE_EXTENSIONS as readonly string[]).includes(extension)) continue
    paths.push(options.resolve(options.cwd, arg))
  }
  return paths
}

/** Keeps the most recent paths first, without duplicates, at most `max`. */
export function addRecentPath(recent: readonly string[], path: string, max = 10): string[] {
  return [path, ...recent.filter((p) => p !== path)].slice(0, max)
}
