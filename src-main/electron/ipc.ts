import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { z } from 'zod'
import type { EmitEvent } from '../core/app-context'
import { INVOKE_CHANNELS, type ApiHandlers } from '../shared/ipc-contract'
import { DROP_IMPORT_IPC_CHANNEL, EVENT_IPC_CHANNEL, MAX_DROPPED_PATHS } from './internal-channels'
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

const droppedPathsSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(4096)
      .refine(
        (p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\'),
        'absolute path'
      )
  )
  .min(1)
  .max(MAX_DROPPED_PATHS)

/** Handles files dropped on the window (sent by the preload, not the page): checked, validated, then imported. */
export function registerDropImport(
  getTrustedId: () => number | null,
  appOrigin: string,
  importDropped: (paths: string[]) => void
): void {
  ipcMain.handle(DROP_IMPORT_IPC_CHANNEL, (event, raw: unknown) => {
    if (!isTrustedSender(getSenderFacts(event), getTrustedId(), appOrigin)) {
      console.error(`ipc ${DROP_IMPORT_IPC_CHANNEL} refused: untrusted sender`)
      throw new RefusedCallError('refused')
    }
    const parsed = droppedPathsSchema.safeParse(raw)
    if (!parsed.success) throw new RefusedCallError(`${DROP_IMPORT_IPC_CHANNEL}: invalid paths`)
    importDropped(parsed.data)
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
