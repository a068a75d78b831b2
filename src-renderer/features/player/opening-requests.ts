/**
 * What opening a recording asks the core for, sent as early as the app knows a recording is being opened: when a
 * list row is pressed (the click comes 60–150 ms later), or when the hash changes to the player's route (before React
 * renders it). The player screen then takes them instead of asking again.
 */
import type { RecordingId, RecordingPlayback, RecordingTimeline } from '@shared/domain'
import { desktop } from '../../api-client'
import { matchPath, parseHash } from '../../app/router'
import { startOpening, type OpeningFetches } from './chunk-loader'

/** The player's route. */
export const PLAYER_PATH = '/recordings/:id'

/** Requests sent early are taken by the screen within this long, or not at all (they are sent anew). */
const EARLY_REQUESTS_MAX_AGE_MS = 2_000

export type OpeningRequests = {
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

/** A recording's requests sent early, not yet taken by its screen. */
let requestedEarly: OpeningRequests | null = null
/** The recording a player screen shows: a hash change within it (a new `?t=`) asks for nothing. */
let shownId: string | null = null

function earlyRequestsFor(id: string): OpeningRequests | null {
  const early = requestedEarly
  return early?.id === id && performance.now() - early.sentAt < EARLY_REQUESTS_MAX_AGE_MS ? early : null
}

/** Sends the requests for opening `id` now, unless they were just sent or it is the recording shown. */
export function requestOpeningEarly(id: string): void {
  if (id === shownId || earlyRequestsFor(id)) return
  requestedEarly = requestOpening(id)
}

/** The player screen's requests for `id` (those sent early, or new ones); `id` is the recording shown from now on. */
export function takeOpening(id: string): OpeningRequests {
  shownId = id
  const early = earlyRequestsFor(id)
  requestedEarly = null
  return early ?? requestOpening(id)
}

/** The player screen for `id` is gone. */
export function forgetShown(id: string): void {
  if (shownId === id) shownId = null
}

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const id = matchPath(PLAYER_PATH, parseHash(window.location.hash).path)?.id
    if (id) requestOpeningEarly(id)
  })
}
