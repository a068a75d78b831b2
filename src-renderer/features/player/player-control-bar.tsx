import { memo, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react'
import { formatClock } from '../../components/format'
import { FRAME_MS, SPEEDS, usePlayer, usePlayerStore, type Speed } from './player-store'
import { buildMarkers, findInactiveSpans, thinMarkers, type Marker } from './timeline'

/** Play/pause, time, speed, skip-inactivity, and the seek bar with its markers. */
export function PlayerControlBar() {
  const engineState = usePlayer((s) => s.engineState)
  const currentOffsetMs = usePlayer((s) => s.currentOffsetMs)
  const durationMs = usePlayer((s) => s.durationMs)
  const speed = usePlayer((s) => s.speed)
  const skipInactive = usePlayer((s) => s.skipInactive)
  const exceptionCount = usePlayer((s) => s.exceptions.length)
  const keyframes = usePlayer((s) => s.keyframes)
  const store = usePlayerStore()
  const isPlaying = engineState === 'playing' || engineState === 'buffering'
  const isBroken = usePlayer((s) => s.isUnplayable)
  const speedPickedByPointer = useRef(false)

  return (
    <div className="control-bar">
      <SeekBar />
      <div className="control-row">
        <button
          type="button"
          className="button button-icon play-button"
          onClick={() => store.getState().togglePlay()}
          disabled={isBroken}
          aria-label={isPlaying ? 'Pause' : 'Play'}
          title={isPlaying ? 'Pause (space)' : 'Play (space)'}
        >
          {isPlaying ? (
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <rect x="3.5" y="2.5" width="3" height="11" rx="0.8" fill="currentColor" />
              <rect x="9.5" y="2.5" width="3" height="11" rx="0.8" fill="currentColor" />
            </svg>
          ) : (
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <path d="M4.5 2.8v10.4a.6.6 0 0 0 .9.5l8.2-5.2a.6.6 0 0 0 0-1L5.4 2.3a.6.6 0 0 0-.9.5z" fill="currentColor" />
            </svg>
          )}
        </button>
        <button type="button" className="button button-quiet" onClick={() => store.getState().seekBy(-5000)} title="Back 5 s (←)" disabled={isBroken}>
          −5s
        </button>
        <button type="button" className="button button-quiet" onClick={() => store.getState().seekBy(5000)} title="Forward 5 s (→)" disabled={isBroken}>
          +5s
        </button>
        <span className="clock" aria-label="Current time">
          <span data-testid="player-clock">{formatClock(currentOffsetMs)}</span>
          <span className="clock-total"> / {formatClock(durationMs)}</span>
        </span>
        <div className="header-spacer" />
        {keyframes && keyframes.built < keyframes.total ? (
          <span className="keyframe-progress" title="Tapedeck indexes long recordings in the background so seeking anywhere is quick">
            Indexing for fast seeking {Math.round((keyframes.built / Math.max(1, keyframes.total)) * 100)}%
          </span>
        ) : null}
        {exceptionCount > 0 ? (
          <span className="exception-nav">
            <button type="button" className="button button-quiet" onClick={() => store.getState().goToPreviousException()} title="Previous exception (p)">
              ‹
            </button>
            <span className="badge badge-danger">
              {exceptionCount} exception{exceptionCount === 1 ? '' : 's'}
            </span>
            <button type="button" className="button button-quiet" onClick={() => store.getState().goToNextException()} title="Next exception (n)">
              ›
            </button>
          </span>
        ) : null}
        <label className="checkbox" title="Jump over stretches with no user activity">
          <input type="checkbox" checked={skipInactive} onChange={(event) => store.getState().setSkipInactive(event.target.checked)} />
          Skip inactivity
        </label>
        <select
          className="select speed-select"
          aria-label="Playback speed"
          value={speed}
          onChange={(event) => {
            store.getState().setSpeed(Number(event.target.value) as Speed)
            // Picked with the mouse: hand the keys back to the player (a focused select keeps ←/→ and 1–6 for itself).
            if (speedPickedByPointer.current) event.currentTarget.blur()
          }}
          onPointerDown={() => (speedPickedByPointer.current = true)}
          onKeyDown={() => (speedPickedByPointer.current = false)}
        >
          {SPEEDS.map((s, index) => (
            <option key={s} value={s}>
              {s}× ({index + 1})
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}

const MARKER_TITLES: Record<Marker['kind'], string> = {
  exception: 'Exception',
  'console-error': 'Console error',
  navigation: 'Page',
  click: 'Click',
  custom: 'Custom event'
}

function SeekBar() {
  const detail = usePlayer((s) => s.detail)
  const exceptions = usePlayer((s) => s.exceptions)
  const currentOffsetMs = usePlayer((s) => s.currentOffsetMs)
  const durationMs = usePlayer((s) => s.durationMs)
  const store = usePlayerStore()
  const trackRef = useRef<HTMLDivElement>(null)
  const [hoverMs, setHoverMs] = useState<number | null>(null)
  const [isDragging, setDragging] = useState(false)
  const lastSeek = useRef({ at: 0, offsetMs: -1 })

  const markers = useMemo(() => thinMarkers(buildMarkers(detail, exceptions), durationMs), [detail, exceptions, durationMs])
  const spans = useMemo(() => {
    const startMs = detail.summary.startedAtMs
    return findInactiveSpans(detail.segments, startMs, startMs + durationMs).map((s) => ({
      startMs: s.startMs - startMs,
      endMs: s.endMs - startMs
    }))
  }, [detail, durationMs])

  const percent = (ms: number) => percentOf(ms, durationMs)
  const offsetAt = (clientX: number) => {
    const rect = trackRef.current?.getBoundingClientRect()
    if (!rect || rect.width === 0) return 0
    return Math.min(1, Math.max(0, (clientX - rect.left) / rect.width)) * durationMs
  }

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    event.currentTarget.setPointerCapture(event.pointerId)
    setDragging(true)
    const ms = offsetAt(event.clientX)
    lastSeek.current = { at: performance.now(), offsetMs: ms }
    store.getState().seekToOffset(ms)
  }

  return (
    <div
      className={`seek-bar${isDragging ? ' seek-bar-dragging' : ''}`}
      ref={trackRef}
      role="slider"
      tabIndex={0}
      aria-label="Seek"
      aria-valuemin={0}
      aria-valuemax={Math.round(durationMs / 1000)}
      aria-valuenow={Math.round(currentOffsetMs / 1000)}
      aria-valuetext={`${formatClock(currentOffsetMs)} of ${formatClock(durationMs)}`}
      data-testid="seek-bar"
      data-duration-ms={Math.round(durationMs)}
      onPointerDown={onPointerDown}
      onPointerMove={(event) => {
        const ms = offsetAt(event.clientX)
        setHoverMs(ms)
        if (!isDragging) return
        // Scrubbing: move the thumb at once, replay at most a few times a second (a seek can take a while).
        if (performance.now() - lastSeek.current.at > 200) {
          lastSeek.current = { at: performance.now(), offsetMs: ms }
          store.getState().seekToOffset(ms)
        } else {
          store.setState({ currentOffsetMs: ms })
        }
      }}
      onPointerUp={(event) => {
        if (!isDragging) return
        event.currentTarget.releasePointerCapture(event.pointerId)
        setDragging(false)
        const ms = offsetAt(event.clientX)
        if (Math.abs(ms - lastSeek.current.offsetMs) >= 1) store.getState().seekToOffset(ms)
      }}
      onPointerLeave={() => setHoverMs(null)}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') event.stopPropagation()
        // The same steps as the player's shortcuts: 5 s, or one frame with shift.
        if (event.key === 'ArrowLeft') store.getState().seekBy(event.shiftKey ? -FRAME_MS : -5000)
        if (event.key === 'ArrowRight') store.getState().seekBy(event.shiftKey ? FRAME_MS : 5000)
        if (event.key === 'Home') store.getState().seekToOffset(0)
        if (event.key === 'End') store.getState().seekToOffset(durationMs)
      }}
    >
      <div className="seek-track">
        {spans.map((s) => (
          <div key={s.startMs} className="seek-inactive" style={{ left: percent(s.startMs), width: percent(s.endMs - s.startMs) }} />
        ))}
        <div className="seek-played" style={{ width: percent(currentOffsetMs) }} />
      </div>
      <SeekMarkers markers={markers} durationMs={durationMs} />
      <div className="seek-thumb" style={{ left: percent(currentOffsetMs) }} />
      {hoverMs !== null ? (
        <div className="seek-hover" style={{ left: percent(hoverMs) }}>
          {formatClock(hoverMs)}
        </div>
      ) : null}
    </div>
  )
}

/** The markers layer; memoised so playback (which re-renders the bar) does not re-render thousands of markers. */
const SeekMarkers = memo(function SeekMarkers({
  markers,
  durationMs
}: {
  markers: Array<Marker & { count: number }>
  durationMs: number
}) {
  return (
    <>
      {markers.map((marker, index) => (
        <div
          key={index}
          className={`seek-marker seek-marker-${marker.kind}`}
          style={{ left: percentOf(marker.offsetMs, durationMs) }}
          title={`${MARKER_TITLES[marker.kind]} at ${formatClock(marker.offsetMs)}: ${marker.label}${marker.count > 1 ? ` (+${marker.count - 1} more here)` : ''}`}
          data-testid={marker.kind === 'exception' ? 'exception-marker' : undefined}
        />
      ))}
    </>
  )
})

/** Where `ms` sits on a seek bar `durationMs` long, as a CSS percentage clamped to the bar. */
function percentOf(ms: number, durationMs: number): string {
  return `${Math.min(100, Math.max(0, (ms / Math.max(1, durationMs)) * 100))}%`
}
