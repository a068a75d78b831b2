import type { SyncChannels } from '@shared/contract/sync-channels'
import type { ApiHandlers } from '@shared/ipc-contract'
import type { AppContext } from '../core/app-context'
import { getSyncService } from '../sync/sync-service'

/**
 * Handlers of the `sources:*` and `sync:*` channels, over the context's sync service.
 *
 * The desktop app configures the service (its `safeStorage` key store, its folder picker) with
 * `getSyncService(context, options)` before building the API; otherwise the defaults apply.
 */
export function createSyncHandlers(context: AppContext): Pick<ApiHandlers, keyof SyncChannels> {
  const service = getSyncService(context)
  return {
    'sources:list': () => service.listSources(),
    'sources:add-folder': (input) => service.addFolderSource(input),
    'sources:add-posthog': (input) => service.addPostHogSource(input),
    'sources:remove': (id) => service.removeSource(id),
    'sync:start': (options) => service.start(options, 'manual'),
    'sync:pause': () => service.pause(),
    'sync:resume': () => service.resume(),
    'sync:cancel': () => service.cancel(),
    'sync:status': () => service.status()
  }
}
