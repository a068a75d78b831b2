import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { addRecentPath } from './open-with'

/** The name of the recent-files list in the data folder. */
export const RECENT_FILES_NAME = 'recent.json'

/** At most this many recent files are kept. */
export const MAX_RECENT_FILES = 10

/**
 * Reads File → Open Recent's list: newest first, strings only, at most `MAX_RECENT_FILES`.
 *
 * A missing, unreadable or malformed file reads as an empty list (the list is a convenience, never an error).
 */
export function readRecentFiles(file: string): string[] {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return []
  }
  if (!Array.isArray(value)) return []
  const paths = value.filter((v): v is string => typeof v === 'string' && v !== '')
  return [...new Set(paths)].slice(0, MAX_RECENT_FILES)
}

/** Writes the list atomically (a temporary file renamed over it); throws when the folder cannot be written. */
export function writeRecentFiles(file: string, paths: readonly string[]): void {
  const temporary = `${file}.tmp`
  writeFileSync(temporary, JSON.stringify(paths.slice(0, MAX_RECENT_FILES)))
  renameSync(temporary, file)
}

/** Puts `path` first in the list on disk and returns the new list. */
export function rememberRecentFile(file: string, path: string): string[] {
  const recent = addRecentPath(readRecentFiles(file), path, MAX_RECENT_FILES)
  writeRecentFiles(file, recent)
  return recent
}
