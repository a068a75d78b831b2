import { watch, type FSWatcher } from 'node:fs'
import { scanFolderSync } from './folder-sync'

export type FolderWatcher = {
  /** 'native' = fs.watch (recursive); 'polling' = periodic scans, where native watching is unavailable. */
  readonly mode: 'native' | 'polling'
  close: () => void
}

export type WatchFolderOptions = {
  /** Quiet time after the last change before `onChange` fires (changes come in bursts while files are copied). */
  debounceMs?: number
  /** Scan interval when polling. */
  pollIntervalMs?: number
  /** Rescan interval even with native watching, to catch what a watcher missed (network drives, overflow). */
  safetyScanMs?: number
  forcePolling?: boolean
}

/** A cheap fingerprint of a folder's importable files: paths, sizes, modification times. */
function folderSignature(root: string): string {
  return scanFolderSync(root)
    .map((f) => `${f.path}\0${f.sizeBytes}\0${f.mtimeMs}`)
    .join('\n')
}

/**
 * Watches a folder (recursively) and calls `onChange` after something in it changed.
 *
 * Uses `fs.watch` with `recursive` where the platform supports it, with a periodic rescan as a safety net; falls
 * back to polling (a scan every few seconds, compared with the last) where it does not, or when the OS refuses more
 * watches. `onChange` may fire for changes that do not matter (the folder sync then finds nothing to do); it never
 * fires for a folder whose importable files did not change between two scans.
 */
export function watchFolder(
  root: string,
  onChange: () => void,
  options: WatchFolderOptions = {}
): FolderWatcher {
  const debounceMs = options.debounceMs ?? 500
  let closed = false
  let debounce: NodeJS.Timeout | null = null
  let signature = safeSignature(root)

  const check = () => {
    debounce = null
    if (closed) return
    const next = safeSignature(root)
    if (next === signature) return
    signature = next
    onChange()
  }
  const schedule = () => {
    if (closed) return
    if (debounce) clearTimeout(debounce)
    debounce = setTimeout(check, debounceMs)
    debounce.unref()
  }

  let watcher: FSWatcher | null = null
  if (!options.forcePolling) {
    try {
      watcher = watch(root, { recursive: true, persistent: false }, schedule)
      watcher.on('error', () => {
        watcher?.close()
        watcher = null
        startPolling(options.pollIntervalMs ?? 5_000)
      })
    } catch {
      watcher = null
    }
  }
  let poll: NodeJS.Timeout | null = null
  function startPolling(intervalMs: number) {
    if (poll || closed) return
    poll = setInterval(schedule, intervalMs)
    poll.unref()
  }
  if (watcher) startPolling(options.safetyScanMs ?? 60_000)
  else startPolling(options.pollIntervalMs ?? 5_000)

  return {
    mode: watcher ? 'native' : 'polling',
    close() {
      closed = true
      watcher?.close()
      if (poll) clearInterval(poll)
      if (debounce) clearTimeout(debounce)
    }
  }
}

function safeSignature(root: string): string {
  try {
    return folderSignature(root)
  } catch {
    return ''
  }
}
