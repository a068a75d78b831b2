import { useEffect } from 'react'
import {
  describeAssetStatus,
  describeAssetSummary,
  useOfflineAssetsStore
} from './offline-assets-store'

/**
 * "Offline assets": how many of the images, stylesheets and fonts the recordings use are cached, and a button to
 * fetch the rest while a network is available (`assets:fetch`), with live progress.
 */
export function OfflineAssetsPanel() {
  const status = useOfflineAssetsStore((s) => s.status)
  const isFetching = useOfflineAssetsStore((s) => s.isFetching)
  const progress = useOfflineAssetsStore((s) => s.progress)
  const lastSummary = useOfflineAssetsStore((s) => s.lastSummary)
  const errorMessage = useOfflineAssetsStore((s) => s.errorMessage ?? s.loadError)
  const load = useOfflineAssetsStore((s) => s.load)
  const listen = useOfflineAssetsStore((s) => s.listen)
  const fetchAssets = useOfflineAssetsStore((s) => s.fetchAssets)

  useEffect(() => {
    void load()
    return listen()
  }, [load, listen])

  const canFetch = status !== null && (status.pending > 0 || status.unscannedRecordings > 0)
  return (
    <section className="sync-panel" aria-label="Offline assets" data-testid="offline-assets">
      <div className="sync-panel-line">
        <strong>Offline assets</strong>
        <span className="sync-panel-detail">
          {status ? describeAssetStatus(status) : 'Loading…'}
        </span>
      </div>
      {isFetching ? (
        <div className="sync-panel-line" role="status" aria-live="polite">
          <progress className="sync-bar" max={progress?.total || 1} value={progress?.done ?? 0} />
          <span className="sync-panel-detail">
            {progress
              ? `${progress.done} of ${progress.total}, ${progress.failed} failed`
              : 'Starting…'}
          </span>
        </div>
      ) : null}
      {lastSummary && !isFetching ? (
        <span className="sync-panel-detail">{describeAssetSummary(lastSummary)}</span>
      ) : null}
      {errorMessage ? (
        <span className="sync-panel-detail" role="alert">
          {errorMessage}
        </span>
      ) : null}
      <div className="sync-panel-actions">
        <button
          type="button"
          className="button"
          disabled={isFetching || !canFetch}
          onClick={() => void fetchAssets()}
        >
          Fetch assets
        </button>
        {status && status.failed > 0 ? (
          <button
            type="button"
            className="button"
            disabled={isFetching}
            onClick={() => void fetchAssets({ retryFailed: true })}
          >
            Retry failed
          </button>
        ) : null}
      </div>
    </section>
  )
}
