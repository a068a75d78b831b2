/**
 * What the preload exposes and how it handles drops, written against a minimal IPC shape so it is unit-tested
 * without Electron. preload.ts wires it to `ipcRenderer`, `webUtils` and the page.
 */
import type { DesktopApi, EventChannel, EventChannels } from '../shared/ipc-contract'
import { isInvokeChannel } from '../shared/ipc-contract'
import { DROP_IMPORT_IPC_CHANNEL, MAX_DROPPED_PATHS } from './internal-channels'

/** The part of `ipcRenderer` the preload uses. */
export type PreloadIpc = {
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>
  /** Subscribes to contract events from main (`EVENT_IPC_CHANNEL`), given without Electron's event object. */
  onEventMessage: (listener: (message: unknown) => void) => void
}

type Listener = (payload: unknown) => void

/**
 * `window.desktop`: exactly `invoke` and `on`, nothing of Electron.
 *
 * `invoke` forwards only contract channels (anything else is rejected here, before any IPC); `on` delivers only the
 * payload of the named event, never Electron's event object or sender. Returned functions close over the IPC
 * object, which the page never sees.
 */
export function createDesktopApi(ipc: PreloadIpc): DesktopApi {
  const listeners = new Map<string, Set<Listener>>()
  ipc.onEventMessage((message) => {
    if (typeof message !== 'object' || message === null) return
    const { channel, payload } = message as { channel?: unknown; payload?: unknown }
    if (typeof channel !== 'string') return
    for (const listener of listeners.get(channel) ?? []) listener(payload)
  })
  return {
    invoke(channel, ...args) {
      if (typeof channel !== 'string' || !isInvokeChannel(channel))
        return Promise.reject(new Error(`unknown channel "${String(channel).slice(0, 100)}"`))
      return ipc.invoke(channel, ...args) as never
    },
    on<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void) {
      const set = listeners.get(channel) ?? new Set<Listener>()
      const wrapped: Listener = (payload) => listener(payload as EventChannels[E])
      set.add(wrapped)
      listeners.set(channel, set)
      return () => {
        set.delete(wrapped)
      }
    }
  }
}

// The preload is type-checked with the Node project (no DOM lib), so the few DOM shapes it touches are spelled out.
/** A drag event, as far as the drop handling needs it. */
export type FileDragEvent<F> = {
  preventDefault(): void
  dataTransfer: {
    types: readonly string[]
    files: ArrayLike<F>
    dropEffect: string
  } | null
}

/**
 * The window's `dragover` and `drop` handlers (capture phase): a drag of files is accepted as a copy, and a drop is
 * turned into absolute paths (`getPathForFile`, Electron's `webUtils`) sent to main on the internal drop channel,
 * where they are validated, filtered and imported with progress. The page still sees the drag, but never the paths,
 * and the window never navigates to a dropped file. Drags without files (text, links) are left alone.
 */
export function createDropHandlers<F>(
  ipc: Pick<PreloadIpc, 'invoke'>,
  getPathForFile: (file: F) => string
): { onDragOver: (event: FileDragEvent<F>) => void; onDrop: (event: FileDragEvent<F>) => void } {
  const hasFiles = (event: FileDragEvent<F>) => event.dataTransfer?.types.includes('Files') ?? false
  return {
    onDragOver(event) {
      if (!hasFiles(event)) return
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    },
    onDrop(event) {
      if (!hasFiles(event)) return
      event.preventDefault()
      const paths = Array.from(event.dataTransfer?.files ?? [])
        .slice(0, MAX_DROPPED_PATHS)
        .map((file) => getPathForFile(file))
        .filter((path) => path !== '')
      if (paths.length > 0) void ipc.invoke(DROP_IMPORT_IPC_CHANNEL, paths).catch(() => undefined)
    }
  }
}
