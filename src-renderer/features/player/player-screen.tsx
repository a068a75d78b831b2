import { useEffect, useState } from 'react'
import type { RecordingDetail, RecordingId, RecordingPlayback, RecordingTimeline } from '@shared/domain'
import { describeError, desktop } from '../../api-client'
import { useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { hrefFor, lastTargetFor, matchPath, parseHash } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { useRecordingListStore } from '../recordings/recording-list-store'
import { startOpening, type OpeningFetches } from './chunk-loader'
import { Player } from './player'
import { warmStyleWorker } from './replay-styles'
import './player.css'

// The worker that rewrites stylesheets for replay is started once the app is idle, so the first recording opened
// does not wait for it to load.
if (typeof requestIdleCallback === 'function') requestIdleCallback(() => warmStyleWorker(), { timeout: 5_000 })

/** The player's route. */
export const PLAYER_PATH = '/recordings/:id'

/** Requests sent as the hash changed are taken by the screen within this long, or not at all (sent anew). */
const EARLY_REQUESTS_MAX_AGE_MS = 2_000

/** What opening a recording asks the core for (see `requestOpening`). */
type OpeningRequests = {
  id: string
  /** `performance.now()` when they were sent. */
  sentAt: number
  opening: OpeningFetches
  playback: Promise<RecordingPlayback | null>
  /** Asks for the exceptions and timeline on the first call; later calls get the same answer. */
  timeline: () => Promise<RecordingTimeline | null>
}

/**
 * The first chunk first (it is decoded while the playback part travels), then the playback part. The timeline is
 * asked for when the player calls for it, once the first frame is painted: building it (45–100 ms for a long
 * recording) on a two-core machine held the first frame up by ~30 ms (60 ms at the 90th percentile).
 */
function requestOpening(id: string): OpeningRequests {
  const recordingId = id as RecordingId
  const opening = startOpening(desktop, recordingId, window.location.origin)
  const playback = desktop.invoke('recordings:get-playback', recordingId)
  playback.catch(() => undefined)
  let timeline: Promise<RecordingTimeline | null> | null = null
  return {
    id,
    sentAt: performance.now(),
    opening,
    playback,
    timeline: () => (timeline ??= desktop.invoke('recordings:get-timeline', recordingId))
  }
}

/** A recording's requests sent as the hash changed to it, not yet taken by its screen. */
let requestedEarly: OpeningRequests | null = null
/** The recording a PlayerScreen shows: a hash change within it (a new `?t=`) asks for nothing. */
let shownId: string | null = null

function earlyRequestsFor(id: string): OpeningRequests | null {
  const early = requestedEarly
  return early?.id === id && performance.now() - early.sentAt < EARLY_REQUESTS_MAX_AGE_MS ? early : null
}

/** The requests for `id`: those sent as the hash changed, or new ones. */
function takeOpening(id: string): OpeningRequests {
  const early = earlyRequestsFor(id)
  requestedEarly = null
  return early ?? requestOpening(id)
}

// The requests go out as the hash changes to a recording, before React renders the route (the list's unmount and the
// player's first render take ~25 ms, which the requests now spend travelling).
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const id = matchPath(PLAYER_PATH, parseHash(window.location.hash).path)?.id
    if (!id || id === shownId || earlyRequestsFor(id)) return
    requestedEarly = requestOpening(id)
  })
}

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
    shownId = id
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
      if (shownId === id) shownId = null
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
