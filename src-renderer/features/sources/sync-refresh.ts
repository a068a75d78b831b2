import type { DesktopApi } from '@shared/ipc-contract'
import type { AppStore } from '../../app/app-store'

/**
 * Makes every mounted screen refetch after a sync that changed the cache, whichever screen is showing: bumps the
 * app store's `dataVersion` (screens watch it, as after an import) and reloads the sidebar totals.
 *
 * Returns the unsubscribe. Installed once for the app's lifetime by the sources feature.
 */
export function installSyncRefresh(api: DesktopApi, appStore: AppStore): () => void {
  return api.on('sync:finished', (summary) => {
    if (!summary.hasChanges) return
    appStore.setState((state) => ({ dataVersion: state.dataVersion + 1 }))
    void appStore.getState().load()
  })
}
