import type { AssetFetchOptions, AssetFetchSummary } from '@shared/contract/asset-channels'
import type { AppContext } from '../core/app-context'
import { fetchAssets, type FetchAssetsOptions } from './asset-fetch-service'

const runs = new WeakMap<AppContext, Promise<AssetFetchSummary>>()

/**
 * Runs one asset fetch for an app context, or joins the one already running (a second click waits for the first).
 *
 * Progress goes out as `assets:progress` events (at most about ten a second) and the summary as `assets:finished`.
 */
export function runAssetFetch(
  context: AppContext,
  options: AssetFetchOptions & Pick<FetchAssetsOptions, 'signal' | 'concurrency' | 'limits'> = {}
): Promise<AssetFetchSummary> {
  const running = runs.get(context)
  if (running !== undefined) return running
  let lastEmitMs = 0
  const run = fetchAssets(context.db, context.dataDir, {
    ...options,
    onProgress: (progress) => {
      const nowMs = Date.now()
      if (progress.done < progress.total && nowMs - lastEmitMs < 100) return
      lastEmitMs = nowMs
      context.emit('assets:progress', progress)
    }
  })
    .then((summary) => {
      context.emit('assets:finished', summary)
      return summary
    })
    .finally(() => runs.delete(context))
  runs.set(context, run)
  return run
}
