import { APP_ORIGIN, isAppUrl } from './app-origin'

/** The facts about an IPC message's sender the check needs (taken from Electron's `IpcMainInvokeEvent`). */
export type SenderFacts = {
  /** `event.sender.id`. */
  webContentsId: number
  /** `event.senderFrame?.url`; undefined when the frame is gone (navigated away or destroyed). */
  frameUrl: string | undefined
  /** `event.senderFrame === event.sender.mainFrame`. */
  isMainFrame: boolean
}

/**
 * Whether an IPC message may be answered: it must come from our main window's top frame, showing our app.
 *
 * Rejects other windows and webContents, any subframe (the replay iframe included), a frame that has navigated
 * somewhere else, and messages that arrive before the window exists (`trustedWebContentsId` null).
 */
export function isTrustedSender(
  sender: SenderFacts,
  trustedWebContentsId: number | null,
  appOrigin: string = APP_ORIGIN
): boolean {
  if (trustedWebContentsId === null || sender.webContentsId !== trustedWebContentsId) return false
  if (!sender.isMainFrame || sender.frameUrl === undefined) return false
  return isAppUrl(sender.frameUrl, appOrigin)
}
