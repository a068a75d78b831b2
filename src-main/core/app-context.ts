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

const listeners = new WeakMap<AppContext, Set<EmitEvent>>()

/**
 * Calls `listener` with every event the context emits from now on, after whoever `emit` sends it to (the window,
 * the event stream); returns the function that stops it. Lets services react to events (the analytics warm up after
 * an import) without each replacing `emit`: the first subscription wraps it once.
 */
export function subscribe(context: AppContext, listener: EmitEvent): () => void {
  let set = listeners.get(context)
  if (!set) {
    const subscribers = new Set<EmitEvent>()
    set = subscribers
    listeners.set(context, subscribers)
    const emit = context.emit
    context.emit = (channel, payload) => {
      emit(channel, payload)
      for (const subscriber of [...subscribers]) subscriber(channel, payload)
    }
  }
  set.add(listener)
  return () => void listeners.get(context)?.delete(listener)
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
