import { readFileSync } from 'node:fs'
import { openDatabase } from '../db/open-database'
import type { WritableDb } from '../db/types'
import type { EventChannel, EventChannels } from '@shared/ipc-contract'
import { getCachePath } from './data-dir'

/** Pushes an event to whoever listens (the Electron window, the web host's event stream, nobody in the CLI). */
export type EmitEvent = <E extends EventChannel>(channel: E, payload: EventChannels[E]) => void

/** What every service and handler gets: the open cache, where it lives, and how to tell the UI about changes. */
export type AppContext = {
  db: WritableDb
  dataDir: string
  shell: 'electron' | 'web' | 'cli'
  version: string
  emit: EmitEvent
  /** Set while the bundled demo data is imported into an empty cache. */
  demoImported: boolean
}

export type OpenAppContextOptions = {
  dataDir: string
  shell: AppContext['shell']
  nativeBinding?: string
  emit?: EmitEvent
}

/** Opens the cache in `dataDir` and returns the context the services share. Close it with `closeAppContext`. */
export function openAppContext(options: OpenAppContextOptions): AppContext {
  const db = openDatabase(getCachePath(options.dataDir), { nativeBinding: options.nativeBinding })
  return {
    db,
    dataDir: options.dataDir,
    shell: options.shell,
    version: readPackageVersion(),
    emit: options.emit ?? (() => undefined),
    demoImported: false
  }
}

export function closeAppContext(context: AppContext): void {
  context.db.close()
}

function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
    return pkg.version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}
