import type { ApiHandlers, InvokeChannel } from '../shared/ipc-contract'
import { isInvokeChannel } from '../shared/ipc-contract'
import { validateArgs } from '../api/validators'
import { APP_ORIGIN } from './app-origin'
import { isTrustedSender, type SenderFacts } from './sender-policy'

/** Thrown (and so rejected in the renderer) when a call is refused before any handler runs. */
export class RefusedCallError extends Error {
  override name = 'RefusedCallError'
}

/**
 * Answers one `invoke` from a renderer: sender check, channel check, argument validation, then the handler.
 *
 * Everything the Electron IPC layer does beyond `ipcMain.handle`, kept free of Electron so it is unit-tested.
 * Refusals throw `RefusedCallError` naming the channel; nothing of the handler runs for them.
 */
export async function dispatchInvoke(
  api: ApiHandlers,
  channel: string,
  args: unknown[],
  sender: SenderFacts,
  trustedWebContentsId: number | null,
  appOrigin: string = APP_ORIGIN
): Promise<unknown> {
  if (!isTrustedSender(sender, trustedWebContentsId, appOrigin)) {
    throw new RefusedCallError(
      `${channel}: refused a call from an untrusted sender (${sender.frameUrl ?? 'no frame'})`
    )
  }
  if (!isInvokeChannel(channel))
    throw new RefusedCallError(`unknown channel "${channel.slice(0, 100)}"`)
  const validated = validateArgs(channel, args)
  if (!validated.ok) throw new RefusedCallError(validated.message)
  const handler = api[channel] as (...callArgs: unknown[]) => unknown
  return await handler(...(validated.args as unknown[]))
}

/** The channels to register: every channel of the contract. */
export function listInvokeChannels(channels: Record<InvokeChannel, true>): InvokeChannel[] {
  return Object.keys(channels) as InvokeChannel[]
}
