import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { EmitEvent } from '../core/app-context'
import { INVOKE_CHANNELS, type ApiHandlers } from '../shared/ipc-contract'
import {
  parseDroppedPaths,
  selectDroppedPaths,
  statPathKind,
  type DropSelection
} from './dropped-paths'
import { DROP_IMPORT_IPC_CHANNEL, EVENT_IPC_CHANNEL } from './internal-channels'
import { dispatchInvoke, listInvokeChannels, RefusedCallError } from './invoke-dispatch'
import { isTrustedSender, type SenderFacts } from './sender-policy'

/** What the checks need to know about an invoke's sender. */
export function getSenderFacts(event: IpcMainInvokeEvent): SenderFacts {
  const frame = event.senderFrame
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url,
    isMainFrame: frame !== null && frame !== undefined && frame === event.sender.mainFrame
  }
}

/**
 * Registers one `ipcMain.handle` per contract channel. Each call is sender-checked and validated against the
 * contract (`dispatchInvoke`) before its handler runs; refusals and failures are logged with the channel name.
 */
export function registerContractHandlers(
  api: ApiHandlers,
  getTrustedId: () => number | null,
  appOrigin: string
) {
  for (const channel of listInvokeChannels(INVOKE_CHANNELS)) {
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      try {
        return await dispatchInvoke(
          api,
          channel,
          args,
          getSenderFacts(event),
          getTrustedId(),
          appOrigin
        )
      } catch (error) {
        const kind = error instanceof RefusedCallError ? 'refused' : 'failed'
        console.error(
          `ipc ${channel} ${kind}: ${error instanceof Error ? error.message : String(error)}`
        )
        throw error
      }
    })
  }
}

/**
 * Handles files dropped on the window (sent by the preload, not the page): sender-checked, validated
 * (`parseDroppedPaths`), split into what to import and what is not an export (`selectDroppedPaths`), then handed on.
 */
export function registerDropImport(
  getTrustedId: () => number | null,
  appOrigin: string,
  importDropped: (selection: DropSelection) => void
): void {
  ipcMain.handle(DROP_IMPORT_IPC_CHANNEL, (event, raw: unknown) => {
    if (!isTrustedSender(getSenderFacts(event), getTrustedId(), appOrigin)) {
      console.error(`ipc ${DROP_IMPORT_IPC_CHANNEL} refused: untrusted sender`)
      throw new RefusedCallError('refused')
    }
    const paths = parseDroppedPaths(raw)
    if (paths === null) throw new RefusedCallError(`${DROP_IMPORT_IPC_CHANNEL}: invalid paths`)
    importDropped(selectDroppedPaths(paths, statPathKind))
  })
}

/** The `emit` for the app context: contract events go to the main window's page through the preload. */
export function createWindowEmitter(getWindow: () => BrowserWindow | null): EmitEvent {
  return (channel, payload) => {
    const window = getWindow()
    if (window === null || window.isDestroyed()) return
    window.webContents.send(EVENT_IPC_CHANNEL, { channel, payload })
  }
}
