import { useEffect, useState } from 'react'
import type { RecordingDetail, RecordingId } from '@shared/domain'
import { describeError, desktop } from '../../api-client'
import { useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { hrefFor, lastTargetFor } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { useRecordingListStore } from '../recordings/recording-list-store'
import { prefetchFirstChunk, type PrefetchedChunks } from './chunk-loader'
import { Player } from './player'
import './player.css'

type Loaded =
  | { status: 'loading'; id: string }
  | { status: 'ready'; id: string; detail: RecordingDetail; prefetched: PrefetchedChunks }
  | { status: 'missing'; id: string }
  | { status: 'error'; id: string; message: string }

/** `#/recordings/<id>`: loads the recording's detail, marks it viewed, and shows the player. */
export function PlayerScreen({ params, search }: RouteProps) {
  const id = params.id ?? ''
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading', id })
  const [attempt, setAttempt] = useState(0)
  const current: Loaded = loaded.id === id ? loaded : { status: 'loading', id }

  useEffect(() => {
    let isCurrent = true
    // The first chunk is fetched alongside the detail (time to first frame); a deep link past it just ignores it.
    const prefetched = prefetchFirstChunk(desktop, id as RecordingId)
    desktop
      .invoke('recordings:get', id as RecordingId)
      .then((detail) => {
        // For `npm run bench:ui` (the phases of the first frame).
        performance.mark('tapedeck:detail-received')
        if (!isCurrent) return
        setLoaded(detail ? { status: 'ready', id, detail, prefetched } : { status: 'missing', id })
        if (detail && !detail.summary.viewed) {
          desktop
            .invoke('recordings:mark-viewed', id as RecordingId, true)
            .then(() => useRecordingListStore.getState().setViewed(id as RecordingId, true))
            .catch((error: unknown) => console.warn('Could not mark the recording viewed', error))
        }
      })
      .catch((error: unknown) => {
        if (isCurrent) setLoaded({ status: 'error', id, message: describeError(error) })
      })
    return () => {
      isCurrent = false
    }
  }, [id, attempt])

  useScreenReady(current.status === 'loading' || current.status === 'ready' ? 'loading' : current.status === 'missing' ? 'ready' : 'error')

  if (current.status === 'ready') return <Player key={id} detail={current.detail} search={search} prefetched={current.prefetched} />
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
