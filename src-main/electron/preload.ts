/**
 * The preload: exposes exactly the typed contract as `window.desktop`, and imports files dropped on the window.
 *
 * Runs sandboxed (bundled to CommonJS; only `electron` may be required). The page never sees `ipcRenderer` or a
 * file path: `invoke` only forwards contract channels, `on` only delivers contract events, and a drop is turned into
 * paths here and sent to main, which validates them and reports progress through `import:progress`. The logic is in
 * preload-api.ts (unit-tested); this file only wires it to Electron and the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { EVENT_IPC_CHANNEL } from './internal-channels'
import { createDesktopApi, createDropHandlers, type FileDragEvent } from './preload-api'

const ipc = {
  invoke: (channel: string, ...args: unknown[]) => ipcRenderer.invoke(channel, ...args),
  onEventMessage: (listener: (message: unknown) => void) => {
    ipcRenderer.on(EVENT_IPC_CHANNEL, (_event, message: unknown) => listener(message))
  }
}

contextBridge.exposeInMainWorld('desktop', createDesktopApi(ipc))

type DroppedFile = Parameters<typeof webUtils.getPathForFile>[0]
const drop = createDropHandlers<DroppedFile>(ipc, (file) => webUtils.getPathForFile(file))
const page = globalThis as unknown as {
  addEventListener(
    type: 'dragover' | 'drop',
    listener: (event: FileDragEvent<DroppedFile>) => void,
    capture: boolean
  ): void
}
// Capture phase, without stopping propagation: the page still sees the drag, but never the paths.
page.addEventListener('dragover', drop.onDragOver, true)
page.addEventListener('drop', drop.onDrop, true)
