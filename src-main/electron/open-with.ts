import { extname } from 'node:path'
import { z } from 'zod'
import { MAX_DROPPED_PATHS } from './internal-channels'

/** File endings the desktop app accepts from the OS ("Open with Tapedeck", command line, drag and drop). */
export const OPENABLE_EXTENSIONS = ['.json', '.jsonl', '.ndjson', '.csv', '.gz'] as const

/** At most this many paths per request from outside (a drop, a second launch). */
export const MAX_OPEN_PATHS = MAX_DROPPED_PATHS

/** True when a file name ends in one of `OPENABLE_EXTENSIONS` (any case). */
export function isOpenableFile(path: string): boolean {
  return (OPENABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())
}

/** An absolute POSIX or Windows path (drive or UNC), without NUL, of sane length. */
const absolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'no NUL')
  .refine(
    (p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\'),
    'absolute path'
  )

/** A non-empty list of absolute paths, at most `MAX_OPEN_PATHS`. */
export const absolutePathListSchema = z.array(absolutePathSchema).min(1).max(MAX_OPEN_PATHS)

/** How to read a command line: whether the app is packaged, and how to resolve a relative path against `cwd`. */
export type CommandLineContext = {
  isPackaged: boolean
  resolve: (cwd: string, path: string) => string
  cwd: string
}

/**
 * The files to import from a command line: what Electron passes on start and to `second-instance`.
 *
 * Skips the executable, the app path in development (`electron .` / `electron out/main/index.js`), Chromium and app
 * switches (`--…`) and anything not ending in a supported extension. Relative paths resolve against `cwd` (the
 * second instance's working folder). Whether the files exist is left to the importer, which reports each one.
 */
export function extractOpenPaths(argv: readonly string[], options: CommandLineContext): string[] {
  const rest = argv.slice(options.isPackaged ? 1 : 2)
  const paths: string[] = []
  for (const arg of rest) {
    if (arg.startsWith('-')) continue
    if (!isOpenableFile(arg)) continue
    paths.push(options.resolve(options.cwd, arg))
  }
  return paths
}

/** What a second launch hands the running app (`app.requestSingleInstanceLock(additionalData)`). */
export type SecondInstanceData = { openPaths: string[] }

/** The `additionalData` a launch passes to `requestSingleInstanceLock`: its files, already resolved. */
export function createSecondInstanceData(openPaths: readonly string[]): SecondInstanceData {
  return { openPaths: openPaths.slice(0, MAX_OPEN_PATHS) }
}

/**
 * The files a second launch asks the running app to import (`second-instance`).
 *
 * Prefers the paths the second instance resolved itself (`additionalData`, validated: absolute, bounded, openable),
 * because Electron does not promise the forwarded `argv` is unchanged (Chromium may reorder it and append switches,
 * on Windows especially). Falls back to parsing `argv` against the second instance's working folder when the data is
 * missing or malformed (an older version of the app, or a launch that is not ours).
 */
export function readSecondInstancePaths(
  additionalData: unknown,
  argv: readonly string[],
  options: CommandLineContext
): string[] {
  const parsed = z.object({ openPaths: z.array(z.unknown()) }).safeParse(additionalData)
  if (parsed.success) {
    if (parsed.data.openPaths.length === 0) return []
    const paths = absolutePathListSchema.safeParse(parsed.data.openPaths)
    if (paths.success) return paths.data.filter(isOpenableFile)
  }
  return extractOpenPaths(argv, options)
}

/** Keeps the most recent paths first, without duplicates, at most `max`. */
export function addRecentPath(recent: readonly string[], path: string, max = 10): string[] {
  return [path, ...recent.filter((p) => p !== path)].slice(0, max)
}
