/**
 * Every request the renderer can make of the core, and every event the core pushes back.
 *
 * Written as plain signatures; the core may implement them sync or async, the renderer always sees a Promise. The
 * Electron preload, the web host and the renderer's client are all derived from this file. Each domain keeps its
 * channels in `contract/<domain>-channels.ts`; this file only composes them.
 */
import type { AppChannels, AppEvents } from './contract/app-channels'
import { APP_CHANNELS } from './contract/app-channels'
import type { RecordingChannels } from './contract/recording-channels'
import { RECORDING_CHANNELS } from './contract/recording-channels'
import type { AssetChannels, AssetEvents } from './contract/asset-channels'
import { ASSET_CHANNELS } from './contract/asset-channels'
import type { SyncChannels, SyncEvents } from './contract/sync-channels'
import { SYNC_CHANNELS } from './contract/sync-channels'
import type { AnalyticsChannels } from './contract/analytics-channels'
import { ANALYTICS_CHANNELS } from './contract/analytics-channels'
import type { PersonChannels } from './contract/person-channels'
import { PERSON_CHANNELS } from './contract/person-channels'

export type InvokeChannels = AppChannels &
  RecordingChannels &
  AssetChannels &
  SyncChannels &
  AnalyticsChannels &
  PersonChannels

export type EventChannels = AppEvents & AssetEvents & SyncEvents

export type InvokeChannel = keyof InvokeChannels
export type InvokeArgs<C extends InvokeChannel> = Parameters<InvokeChannels[C]>
export type InvokeResult<C extends InvokeChannel> = Awaited<ReturnType<InvokeChannels[C]>>
export type EventChannel = keyof EventChannels

/** Runtime list of channels for the preload allowlist and the web host; `satisfies` fails the build on drift. */
export const INVOKE_CHANNELS = {
  ...APP_CHANNELS,
  ...RECORDING_CHANNELS,
  ...ASSET_CHANNELS,
  ...SYNC_CHANNELS,
  ...ANALYTICS_CHANNELS,
  ...PERSON_CHANNELS
} as const satisfies Record<InvokeChannel, true>

/** What the core implements: one handler per channel. */
export type ApiHandlers = {
  [C in InvokeChannel]: (
    ...args: InvokeArgs<C>
  ) => InvokeResult<C> | Promise<InvokeResult<C>>
}

/** What the renderer talks to (`window.desktop` in Electron, an HTTP client in the browser). */
export type DesktopApi = {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>>
  on<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void): () => void
}

/** Tells whether a string names a channel (the preload and the web host reject anything else). */
export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return Object.prototype.hasOwnProperty.call(INVOKE_CHANNELS, channel)
}
