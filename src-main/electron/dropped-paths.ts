import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { absolutePathListSchema, isOpenableFile } from './open-with'

/** What a path names on disk, as far as a drop is concerned. */
export type PathKind = 'file' | 'directory' | 'missing'

/** Which dropped paths to import, and which were left out (named to the user). */
export type DropSelection = { importable: string[]; skipped: string[] }

/**
 * Validates what the preload sent for a drop: a non-empty list of absolute paths, at most `MAX_OPEN_PATHS`.
 *
 * Returns null for anything else (the page cannot reach this channel; a malformed message means a bug or an attack).
 */
export function parseDroppedPaths(raw: unknown): string[] | null {
  const parsed = absolutePathListSchema.safeParse(raw)
  return parsed.success ? [...new Set(parsed.data)] : null
}

/**
 * Picks what to import from a drop: folders (the importer walks them) and files with an export's extension.
 *
 * Other files (a screenshot dropped by mistake, a `.txt`) and paths that no longer exist are skipped, so the user is
 * told what was left out instead of seeing an import fail.
 */
export function selectDroppedPaths(
  paths: readonly string[],
  kindOf: (path: string) => PathKind
): DropSelection {
  const importable: string[] = []
  const skipped: string[] = []
  for (const path of paths) {
    const kind = kindOf(path)
    if (kind === 'directory' || (kind === 'file' && isOpenableFile(path))) importable.push(path)
    else skipped.push(path)
  }
  return { importable, skipped }
}

/** One line naming skipped files, for a notice: "Not imported (not an export): a.png, b.txt and 3 more". */
export function describeSkipped(skipped: readonly string[], shown = 5): string {
  const names = skipped.slice(0, shown).map((path) => basename(path))
  const more = skipped.length - names.length
  return `Not imported (not an export): ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}

/** Whether a path is a file, a folder, or neither (missing, unreadable, a socket…). Follows symlinks. */
export function statPathKind(path: string): PathKind {
  try {
    const stats = statSync(path)
    if (stats.isDirectory()) return 'directory'
    return stats.isFile() ? 'file' : 'missing'
  } catch {
    return 'missing'
  }
}
