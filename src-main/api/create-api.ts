import type { ApiHandlers } from '@shared/ipc-contract'
import type { AppContext } from '../core/app-context'
import { createAppHandlers } from './app-handlers'
import { createAssetHandlers } from './asset-handlers'
import { createRecordingHandlers } from './recording-handlers'
import { createSyncHandlers } from './sync-handlers'
import { createAnalyticsHandlers } from './analytics-handlers'

/**
 * The object that implements the contract: one handler per channel, over the services of `context`.
 *
 * Each domain contributes a factory returning the handlers of its channels; a new domain adds one line here (and
 * its schemas to validators.ts). The Electron IPC layer and the web host both serve this object, after
 * `validateArgs`.
 */
export function createApi(context: AppContext): ApiHandlers {
  return {
    ...createAppHandlers(context),
    ...createRecordingHandlers(context),
    ...createAssetHandlers(context),
    ...createSyncHandlers(context),
    ...createAnalyticsHandlers(context)
  }
}
