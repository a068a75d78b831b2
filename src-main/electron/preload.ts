/**
 * The preload: exposes exactly the typed contract as `window.desktop`, and imports files dropped on the window.
 *
 * Runs sandboxed (bundled to CommonJS; only `electron` may be required). The page never sees `ipcRenderer` or a
 * file path: `invoke` only forwards contract channels, `on` only delivers contract events, and a drop is turned into
 * paths here and sent to main, which validates them and reports progress through `import:progress`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import type { DesktopApi, EventChannel, EventChannels } from '../shared/ipc-contract'
import { isInvokeChannel } from '../shared/ipc-contract'
import { DROP_IMPORT_IPC_CHANNEL, EVENT_IPC_CHANNEL, MAX_DROPPED_PATHS } from './internal-channels'

type Listener = (payload: unknown) => void
const listeners = new Map<string, Set<Listener>>()

ipcRenderer.on(
  EVENT_IPC_CHANNEL,
  (_event: IpcRendererEvent, message: { channel?: unknown; payload?: unknown }) => {
    if (typeof message?.channel !== 'string') return
    for (const listener of listeners.get(message.channel) ?? []) listener(message.payload)
  }
)

const desktop: DesktopApi = {
  invoke(channel, ...args) {
    if (!isInvokeChannel(channel))
      return Promise.reject(new Error(`unknown channel "${String(channel)}"`))
    return ipcRenderer.invoke(channel, ...args)
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

contextBridge.exposeInMainWorld('desktop', desktop)

// The preload is type-checked with the Node project (no DOM lib), so the few DOM shapes it touches are spelled out.
type DroppedFile = Parameters<typeof webUtils.getPathForFile>[0]
type FileDragEvent = {
  preventDefault(): void
  dataTransfer: {
    types: readonly string[]
    files: ArrayLike<DroppedFile>
    dropEffect: string
  } | null
}
const page = globalThis as unknown as {
  addEventListener(
    type: 'dragover' | 'drop',
    listener: (event: FileDragEvent) => void,
    capture: boolean
  ): void
}

function hasFiles(event: FileDragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false
}

// Capture phase, without stopping propagation: the page still sees the drag (to show a drop zone), but the drop
// never navigates the window to the file, and the paths never reach the page.
page.addEventListener(
  'dragover',
  (event) => {
    if (!hasFiles(event)) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
  },
  true
)
page.addEventListener(
  'drop',
  (event) => {
    if (!hasFiles(event)) return
    event.preventDefault()
    const paths = Array.from(event.dataTransfer?.files ?? [])
      .slice(0, MAX_DROPPED_PATHS)
      .map((file) => webUtils.getPathForFile(file))
      .filter((path) => path !== '')
    if (paths.length > 0)
      void ipcRenderer.invoke(DROP_IMPORT_IPC_CHANNEL, paths).catch(() => undefined)
  },
  true
)
