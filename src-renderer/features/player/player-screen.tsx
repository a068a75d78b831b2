import { useEffect, useState } from 'react'
import type { RecordingDetail, RecordingId, RecordingTimeline } from '@shared/domain'
import { describeError, desktop } from '../../api-client'
import { useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { hrefFor, lastTargetFor } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { useRecordingListStore } from '../recordings/recording-list-store'
import type { OpeningFetches } from './chunk-loader'
import { forgetShown, takeOpening } from './opening-requests'
import { Player } from './player'
import { warmStyleWorker } from './replay-styles'
import './player.css'

// The worker that rewrites stylesheets for replay is started once the app is idle, so the first recording opened
// does not wait for it to load.
if (typeof requestIdleCallback === 'function') requestIdleCallback(() => warmStyleWorker(), { timeout: 5_000 })

type Loaded =
  | { status: 'loading'; id: string }
  | {
      status: 'ready'
      id: string
      detail: RecordingDetail
      /** Asks for the exceptions and timeline, when `detail` came without them (after the first frame). */
      loadTimeline: (() => Promise<RecordingTimeline | null>) | null
      opening: OpeningFetches
    }
  | { status: 'missing'; id: string }
  | { status: 'error'; id: string; message: string }

/**
 * `#/recordings/<id>`: loads the recording, marks it viewed, and shows the player.
 *
 * For the first frame, only the small playback part of the detail is waited for, asked for with the first chunk and
 * the stored keyframes; the exceptions and timeline (megabytes for a long recording) are asked for once the first
 * frame is painted. An opening at the first exception (`?at=exception`) asks for and waits for the exceptions at
 * once: they say where to start.
 */
export function PlayerScreen({ params, search }: RouteProps) {
  const id = params.id ?? ''
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading', id })
  const [attempt, setAttempt] = useState(0)
  const current: Loaded = loaded.id === id ? loaded : { status: 'loading', id }
  const opensAtException = search.get('at') === 'exception'

  useEffect(() => {
    let isCurrent = true
    const recordingId = id as RecordingId
    const { opening, playback, timeline } = takeOpening(id)
    Promise.all([playback, opensAtException ? timeline().catch(() => null) : null])
      .then(([loadedPlayback, early]) => {
        // For `npm run bench:ui` (the phases of the first frame).
        performance.mark('tapedeck:detail-received')
        if (!isCurrent) return
        if (!loadedPlayback) {
          setLoaded({ status: 'missing', id })
          return
        }
        const detail = { ...loadedPlayback, ...(early ?? { exceptions: [], items: [] }) }
        setLoaded({ status: 'ready', id, detail, loadTimeline: early ? null : timeline, opening })
        if (!loadedPlayback.summary.viewed) {
          desktop
            .invoke('recordings:mark-viewed', recordingId, true)
            .then(() => useRecordingListStore.getState().setViewed(recordingId, true))
            .catch((error: unknown) => console.warn('Could not mark the recording viewed', error))
        }
      })
      .catch((error: unknown) => {
        if (isCurrent) setLoaded({ status: 'error', id, message: describeError(error) })
      })
    return () => {
      isCurrent = false
      forgetShown(id)
    }
  }, [id, attempt, opensAtException])

  useScreenReady(current.status === 'loading' || current.status === 'ready' ? 'loading' : current.status === 'missing' ? 'ready' : 'error')

  if (current.status === 'ready') {
    return <Player key={id} detail={current.detail} loadTimeline={current.loadTimeline} search={search} opening={current.opening} />
  }
  return (
    <div className="screen" data-testid="player-screen">
      <header className="screen-header">
        <a className="button button-quiet" href={hrefFor(lastTargetFor('/recordings'))}>
          ← Recordings
        </a>
      </header>
      {current.status === 'loading' ? (
        <div className="player-loading" role="status">
          Loading recording…
        </div>
      ) : current.status === 'missing' ? (
        <EmptyState title="This recording is not in the cache">
          <p>
            No recording with id <code>{id}</code> has been imported here. It may have been removed, or the link was
            made on another machine.
          </p>
          <p>
            <a href={hrefFor(lastTargetFor('/recordings'))}>Back to the list</a>
          </p>
        </EmptyState>
      ) : (
        <EmptyState
          tone="error"
          title="The recording could not be loaded"
          action={
            <button type="button" className="button" onClick={() => setAttempt(attempt + 1)}>
              Retry
            </button>
          }
        >
          <p>{current.message}</p>
        </EmptyState>
      )}
    </div>
  )
}
