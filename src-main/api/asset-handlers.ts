import type { AssetChannels } from '@shared/contract/asset-channels'
import type { ApiHandlers } from '@shared/ipc-contract'
import { getAssetStatus } from '../assets/asset-queries'
import { runAssetFetch } from '../assets/asset-service'
import type { AppContext } from '../core/app-context'

/** Handlers of the offline asset cache's channels (`assets:*`). */
export function createAssetHandlers(context: AppContext): Pick<ApiHandlers, keyof AssetChannels> {
  return {
    'assets:get-status': () => getAssetStatus(context.db),
    'assets:fetch': (options) => runAssetFetch(context, options)
  }
}
