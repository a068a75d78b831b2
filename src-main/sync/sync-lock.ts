import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'

/** Held while a sync runs, so the app and the CLI never sync the same data folder at once. */
export type SyncLock = { release: () => void }

export function getSyncLockPath(dataDir: string): string {
  return join(dataDir, 'sync.lock')
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the data folder's sync lock, or returns `null` when another live process holds it.
 *
 * The lock is a file holding the owner's pid; one left by a process that died (killed, crashed, laptop closed
 * then rebooted) is taken over.
 */
export function acquireSyncLock(dataDir: string): SyncLock | null {
  mkdirSync(dataDir, { recursive: true })
  const path = getSyncLockPath(dataDir)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          rmSync(path, { force: true })
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSafe(path))
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isProcessAlive(owner))
        return null
      rmSync(path, { force: true })
    }
  }
  return null
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return ''
  }
}
