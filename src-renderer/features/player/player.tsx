import { useEffect, useRef, useState, type RefObject } from 'react'
import type { RecordingDetail, RecordingTimeline } from '@shared/domain'
import { describeError, desktop } from '../../api-client'
import { useScreenReady } from '../../app/app-store'
import { hrefFor, lastTargetFor } from '../../app/router'
import { formatDateTime, formatDuration } from '../../components/format'
import { createChunkLoader, type OpeningFetches } from './chunk-loader'
import { ExceptionOverlay } from './exception-overlay'
import { Inspector } from './inspector'
import { PlaybackEngine } from './playback-engine'
import { PlayerControlBar } from './player-control-bar'
import {
  createPlayerStore,
  initialOffsetFromSearch,
  PlayerStoreContext,
  usePlayer,
  usePlayerStore,
  type PlayerStore
} from './player-store'
import { ShortcutsDialog } from './shortcuts-dialog'
import { usePlayerShortcuts } from './use-player-shortcuts'
import { WindowSwitcher } from './window-switcher'

/** Store updates while playing are limited to this rate; pauses and seeks always go through at once. */
const TIME_UPDATE_MS = 80

/** Longest the timeline waits for the first frame before it is asked for anyway (a slow or stuck replay). */
const TIMELINE_WAIT_MS = 3_000

/** One recording's player: replay, controls, overlay and inspector, with its own store. */
export function Player({
  detail,
  loadTimeline = null,
  search,
  opening: fetches = null
}: {
  detail: RecordingDetail
  /**
   * Asks for the detail's exceptions and timeline when `detail` came without them: called once the first frame is
   * painted, and what it answers is shown then.
   */
  loadTimeline?: (() => Promise<RecordingTimeline | null>) | null
  search: URLSearchParams
  /** What was asked for when the recording was opened (the first chunk, the stored keyframes). */
  opening?: OpeningFetches | null
}) {
  const [store] = useState<PlayerStore>(() => {
    const { offsetMs } = initialOffsetFromSearch(search, detail)
    return createPlayerStore(detail, { initialOffsetMs: offsetMs, isTimelinePending: loadTimeline !== null })
  })
  const [opening] = useState(() => initialOffsetFromSearch(search, detail))
  const viewportRef = useRef<HTMLDivElement>(null)
  const stageRef = useRef<HTMLDivElement>(null)
  const [viewportSize, setViewportSize] = useState<{ width: number; height: number } | null>(null)

  useEffect(() => {
    const container = viewportRef.current
    if (!container) return
    performance.mark('tapedeck:player-mounted')
    const state = store.getState()
    let lastUpdate = 0
    const engine = new PlaybackEngine(
      container,
      detail,
      createChunkLoader(desktop, detail.summary.id, window.location.origin, fetches),
      {
        onTime: (timeMs) => {
          const now = performance.now()
          if (store.getState().engineState === 'playing' && now - lastUpdate < TIME_UPDATE_MS) return
          lastUpdate = now
          store.getState().onEngineTime(timeMs)
        },
        onState: (engineState) => {
          store.getState().onEngineState(engineState)
          store.getState().onEngineTime(engine.getTime())
        },
        onWindow: (windowId) => store.getState().onEngineWindow(windowId),
        onBroken: (message, isWholeRecording) => store.getState().onEngineBroken(message, isWholeRecording),
        onFrame: () => {
          // For `npm run bench:ui` (time to first frame).
          if (!store.getState().hasDrawnFrame) performance.mark('tapedeck:first-frame')
          store.getState().onFrameDrawn()
        },
        onResize: (width, height) => setViewportSize({ width, height }),
        onKeyframes: (built, total) => store.getState().onKeyframes(built, total)
      },
      { speed: state.speed, skipInactive: state.skipInactive, followWindow: state.followWindow }
    )
    store.getState().attachControls({
      play: () => engine.play(),
      pause: () => engine.pause(),
      seek: (timeMs) => void engine.seek(timeMs),
      selectWindow: (windowId) => void engine.selectWindow(windowId),
      setOptions: (options) => engine.setOptions(options)
    })
    void engine.open(detail.summary.startedAtMs + opening.offsetMs, !opening.isDeepLink)
    return () => {
      store.getState().attachControls(null)
      engine.destroy()
    }
  }, [store, detail, opening, fetches])

  useEffect(() => {
    if (!loadTimeline) return
    let isCurrent = true
    const firstFrame = afterFirstFrame(store, TIMELINE_WAIT_MS)
    // Not asked for when the player closes first (the promise then never resolves).
    firstFrame.promise.then(loadTimeline).then(
      (loaded) => {
        if (!isCurrent) return
        if (loaded) store.getState().applyTimeline(loaded)
        else store.getState().failTimeline('The recording is no longer in the cache.')
      },
      (error: unknown) => {
        if (isCurrent) store.getState().failTimeline(describeError(error))
      }
    )
    return () => {
      isCurrent = false
      firstFrame.cancel()
    }
  }, [store, loadTimeline])

  // A new `?t=` on the same recording (edited link, back/forward) seeks there.
  const t = search.get('t')
  const seenT = useRef(t)
  useEffect(() => {
    if (t === seenT.current) return
    seenT.current = t
    if (t !== null && t.trim() !== '' && Number.isFinite(Number(t))) store.getState().seekToOffset(Number(t) * 1000)
  }, [t, store])

  return (
    <PlayerStoreContext.Provider value={store}>
      <PlayerLayout viewportRef={viewportRef} stageRef={stageRef} viewportSize={viewportSize} />
    </PlayerStoreContext.Provider>
  )
}

function PlayerLayout({
  viewportRef,
  stageRef,
  viewportSize
}: {
  viewportRef: RefObject<HTMLDivElement | null>
  stageRef: RefObject<HTMLDivElement | null>
  viewportSize: { width: number; height: number } | null
}) {
  const detail = usePlayer((s) => s.detail)
  const currentOffsetMs = usePlayer((s) => s.currentOffsetMs)
  const engineState = usePlayer((s) => s.engineState)
  const brokenMessage = usePlayer((s) => s.brokenMessage)
  const isUnplayable = usePlayer((s) => s.isUnplayable)
  const hasDrawnFrame = usePlayer((s) => s.hasDrawnFrame)
  const keyframes = usePlayer((s) => s.keyframes)
  const durationMs = usePlayer((s) => s.durationMs)
  const store = usePlayerStore()
  const scale = useFitScale(stageRef, viewportSize)
  usePlayerShortcuts(store, stageRef)

  const timelineStatus = usePlayer((s) => s.timelineStatus)
  const isReady = timelineStatus !== 'loading' && (brokenMessage !== null || (hasDrawnFrame && engineState !== 'loading'))
  useScreenReady(isReady ? 'ready' : 'loading')
  const summary = detail.summary
  const person = summary.personEmail ?? summary.personName ?? summary.distinctId ?? 'Anonymous'

  return (
    <div
      className="screen player"
      data-testid="player"
      data-recording-id={summary.id}
      data-current-time-ms={Math.round(currentOffsetMs)}
      data-player-state={engineState}
      data-keyframes={keyframes ? (keyframes.built >= keyframes.total ? 'ready' : 'indexing') : 'none'}
    >
      <header className="screen-header player-header">
        <a className="button button-quiet" href={hrefFor(lastTargetFor('/recordings'))} title="Back to the list, with its filters">
          ←
        </a>
        <div className="player-title">
          <h1 title={person}>{person}</h1>
          <span className="player-subtitle">
            {/* The player's length (what the clock ends at), by the same rounding as the clock and the list. */}
            {formatDateTime(summary.startedAtMs)} · <span data-testid="player-duration">{formatDuration(durationMs)}</span> · active{' '}
            {formatDuration(summary.activeMs)}
            {summary.startUrl ? ` · ${summary.startUrl.replace(/^https?:\/\//, '')}` : ''}
          </span>
        </div>
        <div className="header-spacer" />
        <WindowSwitcher />
        <CopyLinkButton />
        <button type="button" className="button button-quiet" onClick={() => store.getState().setHelpOpen(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      <div className="player-body">
        <div className="player-main">
          <div className="player-stage" ref={stageRef}>
            <div
              className="replay-viewport"
              ref={viewportRef}
              style={
                viewportSize
                  ? {
                      width: viewportSize.width,
                      height: viewportSize.height,
                      transform: `translate(-50%, -50%) scale(${scale})`
                    }
                  : undefined
              }
            />
            {brokenMessage ? (
              <div className="player-broken" role="alert" data-testid="player-broken">
                <h2>{isUnplayable ? 'This recording cannot be replayed' : 'This part of the recording cannot be replayed'}</h2>
                <p>{brokenMessage}</p>
                <p className="player-broken-hint">
                  {isUnplayable
                    ? 'The inspector on the right still lists what was captured.'
                    : 'Other parts may still play: pick a later point on the timeline.'}
                </p>
              </div>
            ) : !hasDrawnFrame ? (
              <div className="player-loading" role="status">
                Loading recording…
              </div>
            ) : null}
            {engineState === 'buffering' ? <div className="player-buffering">Loading…</div> : null}
            <ExceptionOverlay />
          </div>
          <PlayerControlBar />
        </div>
        <Inspector />
      </div>
      <ShortcutsDialog />
    </div>
  )
}

/**
 * Resolves once the player's first frame is painted and the next one is on its way (or the replay failed, or
 * `maxWaitMs` passed), when the browser is idle: the time to show what would otherwise hold those frames up.
 */
function afterFirstFrame(store: PlayerStore, maxWaitMs: number): { promise: Promise<void>; cancel: () => void } {
  let unsubscribe = () => {}
  let timer = 0
  const promise = new Promise<void>((resolve) => {
    const isDrawn = () => store.getState().hasDrawnFrame || store.getState().brokenMessage !== null
    // The frame is drawn in an animation frame; the next two are playback's first (rrweb applies events in them).
    const done = () => {
      unsubscribe()
      window.clearTimeout(timer)
      requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(() => resolve(), { timeout: 250 })))
    }
    if (isDrawn()) return done()
    unsubscribe = store.subscribe(() => {
      if (isDrawn()) done()
    })
    timer = window.setTimeout(done, maxWaitMs)
  })
  return {
    promise,
    cancel: () => {
      unsubscribe()
      window.clearTimeout(timer)
    }
  }
}

/** Scale that fits the recorded viewport into the stage (never above 1). */
function useFitScale(
  stageRef: RefObject<HTMLDivElement | null>,
  size: { width: number; height: number } | null
): number {
  const [scale, setScale] = useState(1)
  useEffect(() => {
    const stage = stageRef.current
    if (!stage || !size) return
    const update = () => {
      const padding = 24
      const next = Math.min(
        (stage.clientWidth - padding) / Math.max(1, size.width),
        (stage.clientHeight - padding) / Math.max(1, size.height),
        1
      )
      setScale(Math.max(0.05, next))
    }
    update()
    const observer = new ResizeObserver(update)
    observer.observe(stage)
    return () => observer.disconnect()
  }, [stageRef, size])
  return scale
}

function CopyLinkButton() {
  const id = usePlayer((s) => s.detail.summary.id)
  const store = usePlayerStore()
  const [copied, setCopied] = useState<string | null>(null)
  useEffect(() => {
    if (!copied) return
    const timer = window.setTimeout(() => setCopied(null), 2500)
    return () => window.clearTimeout(timer)
  }, [copied])
  const copy = () => {
    const seconds = Math.floor(store.getState().currentOffsetMs / 100) / 10
    const link = `${window.location.origin}${window.location.pathname}#/recordings/${encodeURIComponent(id)}?t=${seconds}`
    navigator.clipboard
      .writeText(link)
      .then(() => setCopied(`Link at ${seconds}s copied`))
      .catch(() => setCopied(link))
  }
  return (
    <span className="copy-link">
      <button type="button" className="button" onClick={copy}>
        Copy link at current time
      </button>
      {copied ? (
        <span className="copy-link-toast" role="status">
          {copied}
        </span>
      ) : null}
    </span>
  )
}
