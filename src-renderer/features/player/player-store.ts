/**
 * State of one player instance (createStore + React context, so two players never share playback state).
 *
 * The store holds what the controls, seek bar, overlay and inspector show; the `PlaybackEngine` does the replay and
 * is driven through `PlayerControls` (attached once it exists). Times in the store are offsets from the recording's
 * start (`…OffsetMs`), which is also what `data-current-time-ms` shows.
 */
import { createContext, useContext } from 'react'
import { createStore, useStore } from 'zustand'
import type { RecordingDetail, RecordingException, RecordingTimeline } from '@shared/domain'
import type { EngineState } from './playback-engine'
import {
  buildInspectorRows,
  dedupeExceptions,
  findExceptionAt,
  findNextException,
  findPreviousException,
  sortExceptions,
  type InspectorRow,
  type InspectorTab,
  type LevelFilter
} from './timeline'

export const SPEEDS = [0.5, 1, 2, 4, 8, 16] as const
export type Speed = (typeof SPEEDS)[number]

/** What the store needs from the engine (tests pass a fake). Times are epoch ms. */
export type PlayerControls = {
  play: () => void
  pause: () => void
  seek: (timeMs: number) => void
  selectWindow: (windowId: string) => void
  setOptions: (options: { speed?: number; skipInactive?: boolean; followWindow?: boolean }) => void
}

/** One frame at 30 fps: what shift+←/→ steps. */
export const FRAME_MS = 1000 / 30

export type PlayerState = {
  detail: RecordingDetail
  /** Exceptions in time order, console echoes of `$exception`s left out (what the overlay and n/p step through). */
  exceptions: RecordingException[]
  rows: InspectorRow[]
  /**
   * The detail's exceptions and inspector timeline: `loading` while the player opened with the playback part only
   * (they come in after the first frame), `failed` (with `timelineError`) when they could not be read.
   */
  timelineStatus: 'loading' | 'ready' | 'failed'
  timelineError: string | null
  engineState: EngineState
  brokenMessage: string | null
  /** The whole recording cannot be replayed (as opposed to one damaged part). */
  isUnplayable: boolean
  currentOffsetMs: number
  durationMs: number
  speed: Speed
  skipInactive: boolean
  followWindow: boolean
  windowId: string | null
  /** The exception the user closed the overlay for (it reopens for the next one). */
  dismissedExceptionId: number | null
  inspectorTab: InspectorTab
  inspectorText: string
  inspectorLevel: LevelFilter
  /** Row the inspector should scroll to and highlight ("show in inspector"). */
  focusedRowKey: string | null
  isHelpOpen: boolean
  /** Playback was paused by opening the shortcut list, and resumes when it closes. */
  isPausedForHelp: boolean
  hasDrawnFrame: boolean
  /** Background keyframe indexing of the window shown (fast seeks in long recordings); null when not needed. */
  keyframes: { built: number; total: number } | null
  controls: PlayerControls | null

  attachControls: (controls: PlayerControls | null) => void
  applyTimeline: (timeline: RecordingTimeline) => void
  failTimeline: (message: string) => void
  onEngineTime: (timeMs: number) => void
  onEngineState: (state: EngineState) => void
  onEngineWindow: (windowId: string) => void
  onEngineBroken: (message: string, isWholeRecording?: boolean) => void
  onFrameDrawn: () => void
  onKeyframes: (built: number, total: number) => void
  togglePlay: () => void
  seekToOffset: (offsetMs: number) => void
  seekBy: (deltaMs: number) => void
  setSpeed: (speed: Speed) => void
  setSkipInactive: (skip: boolean) => void
  setFollowWindow: (follow: boolean) => void
  selectWindow: (windowId: string) => void
  goToNextException: () => void
  goToPreviousException: () => void
  dismissException: (id: number) => void
  showExceptionInInspector: (id: number) => void
  setInspectorTab: (tab: InspectorTab) => void
  setInspectorText: (text: string) => void
  setInspectorLevel: (level: LevelFilter) => void
  setHelpOpen: (open: boolean) => void
}

export type PlayerStoreOptions = {
  initialOffsetMs?: number
  /** The detail has no exceptions and timeline yet: `applyTimeline` brings them (or `failTimeline` says why not). */
  isTimelinePending?: boolean
  speed?: Speed
  skipInactive?: boolean
}

/** The recording's length as the player shows it: the summary's, or the last chunk's end when that is later. */
export function playerDurationMs(detail: RecordingDetail): number {
  const lastChunkMs = detail.chunks.reduce((max, c) => Math.max(max, c.lastMs), 0)
  return Math.max(detail.summary.durationMs, detail.summary.endedAtMs - detail.summary.startedAtMs, lastChunkMs - detail.summary.startedAtMs, 0)
}

/** What the store derives from the detail's exceptions and timeline. */
function timelineState(detail: RecordingDetail): Pick<PlayerState, 'detail' | 'exceptions' | 'rows'> {
  const exceptions = dedupeExceptions(sortExceptions(detail.exceptions))
  return { detail, exceptions, rows: buildInspectorRows(detail, exceptions) }
}

export function createPlayerStore(detail: RecordingDetail, options: PlayerStoreOptions = {}) {
  const startMs = detail.summary.startedAtMs
  return createStore<PlayerState>()((set, get) => {
    const seekTo = (offsetMs: number) => {
      const clamped = Math.min(Math.max(0, offsetMs), get().durationMs)
      set({ currentOffsetMs: clamped })
      get().controls?.seek(startMs + clamped)
    }
    return {
      ...timelineState(detail),
      timelineStatus: options.isTimelinePending ? 'loading' : 'ready',
      timelineError: null,
      engineState: 'loading',
      brokenMessage: null,
      isUnplayable: false,
      currentOffsetMs: options.initialOffsetMs ?? 0,
      durationMs: playerDurationMs(detail),
      speed: options.speed ?? 1,
      skipInactive: options.skipInactive ?? true,
      followWindow: true,
      windowId: detail.windows[0]?.windowId ?? null,
      dismissedExceptionId: null,
      inspectorTab: 'all',
      inspectorText: '',
      inspectorLevel: 'all',
      focusedRowKey: null,
      isHelpOpen: false,
      isPausedForHelp: false,
      hasDrawnFrame: false,
      keyframes: null,
      controls: null,

      attachControls: (controls) => set({ controls }),
      applyTimeline: (timeline) => set({ ...timelineState({ ...get().detail, ...timeline }), timelineStatus: 'ready', timelineError: null }),
      failTimeline: (timelineError) => set({ timelineStatus: 'failed', timelineError }),
      onEngineTime: (timeMs) => {
        const offset = Math.min(Math.max(0, timeMs - startMs), get().durationMs)
        if (offset !== get().currentOffsetMs) set({ currentOffsetMs: offset })
      },
      // Leaving the broken state (a seek past a damaged part) clears its message.
      onEngineState: (engineState) => set(engineState === 'broken' ? { engineState } : { engineState, brokenMessage: null }),
      onEngineWindow: (windowId) => set({ windowId }),
      onEngineBroken: (brokenMessage, isWholeRecording = false) =>
        set({ brokenMessage, engineState: 'broken', isUnplayable: isWholeRecording }),
      onKeyframes: (built, total) => set({ keyframes: { built, total } }),
      onFrameDrawn: () => {
        if (!get().hasDrawnFrame) set({ hasDrawnFrame: true })
      },
      togglePlay: () => {
        const { engineState, controls, isUnplayable } = get()
        if (!controls || isUnplayable) return
        if (engineState === 'playing' || engineState === 'buffering') controls.pause()
        else controls.play()
      },
      seekToOffset: (offsetMs) => seekTo(offsetMs),
      seekBy: (deltaMs) => seekTo(get().currentOffsetMs + deltaMs),
      setSpeed: (speed) => {
        set({ speed })
        get().controls?.setOptions({ speed })
      },
      setSkipInactive: (skipInactive) => {
        set({ skipInactive })
        get().controls?.setOptions({ skipInactive })
      },
      setFollowWindow: (followWindow) => {
        set({ followWindow })
        get().controls?.setOptions({ followWindow })
      },
      selectWindow: (windowId) => {
        set({ windowId, followWindow: false })
        get().controls?.selectWindow(windowId)
      },
      goToNextException: () => {
        const next = findNextException(get().exceptions, reachedTimeMs(get()))
        if (next) seekTo(next.timestampMs - startMs)
      },
      goToPreviousException: () => {
        const previous = findPreviousException(get().exceptions, reachedTimeMs(get()))
        if (previous) seekTo(previous.timestampMs - startMs)
      },
      dismissException: (id) => set({ dismissedExceptionId: id }),
      showExceptionInInspector: (id) => set({ inspectorTab: 'exceptions', inspectorText: '', inspectorLevel: 'all', focusedRowKey: `e${id}` }),
      setInspectorTab: (inspectorTab) => set({ inspectorTab, focusedRowKey: null }),
      setInspectorText: (inspectorText) => set({ inspectorText }),
      setInspectorLevel: (inspectorLevel) => set({ inspectorLevel }),
      // The list pauses playback while it covers the replay (nothing plays unseen), and closing it resumes what was
      // playing: the user opened it to look something up, not to stop watching.
      setHelpOpen: (isHelpOpen) => {
        const { engineState, controls, isPausedForHelp } = get()
        if (isHelpOpen === get().isHelpOpen) return
        if (isHelpOpen) {
          const isPlaying = engineState === 'playing' || engineState === 'buffering'
          if (isPlaying) controls?.pause()
          set({ isHelpOpen, isPausedForHelp: isPlaying && controls !== null })
        } else {
          set({ isHelpOpen, isPausedForHelp: false })
          if (isPausedForHelp) controls?.play()
        }
      }
    }
  })
}

export type PlayerStore = ReturnType<typeof createPlayerStore>

/**
 * How far playback has got, epoch ms, for the overlay and `n`/`p`: the playhead, except at the very end, where every
 * exception counts as reached. An exception can be stamped after the last replay event (PostHog captures a
 * `$exception` ~100 ms after the console error that is the recording's last event), so the playhead never gets to
 * its time; at the end it would otherwise never show.
 */
export function reachedTimeMs(state: PlayerState): number {
  const playheadMs = state.detail.summary.startedAtMs + state.currentOffsetMs
  if (state.currentOffsetMs < state.durationMs) return playheadMs
  const last = state.exceptions[state.exceptions.length - 1]
  return Math.max(playheadMs, last?.timestampMs ?? playheadMs)
}

/** The exception the overlay shows now, or null (none reached yet, or closed by the user). */
export function selectOverlayException(state: PlayerState): RecordingException | null {
  const exception = findExceptionAt(state.exceptions, reachedTimeMs(state))
  if (!exception || exception.id === state.dismissedExceptionId) return null
  return exception
}

/**
 * Where the player should open: `?t=<seconds>`; `?at=exception`: the first `$exception` (the list's exception badge
 * counts those), else the first console error; else the start.
 */
export function initialOffsetFromSearch(search: URLSearchParams, detail: RecordingDetail): { offsetMs: number; isDeepLink: boolean } {
  const t = search.get('t')
  if (t !== null && t.trim() !== '' && Number.isFinite(Number(t))) {
    return { offsetMs: Math.max(0, Number(t) * 1000), isDeepLink: true }
  }
  if (search.get('at') === 'exception') {
    const sorted = sortExceptions(detail.exceptions)
    const first = sorted.find((e) => e.source !== 'console') ?? sorted[0]
    if (first) return { offsetMs: Math.max(0, first.timestampMs - detail.summary.startedAtMs), isDeepLink: true }
  }
  return { offsetMs: 0, isDeepLink: false }
}

export const PlayerStoreContext = createContext<PlayerStore | null>(null)

/** Reads from the surrounding player's store. */
export function usePlayer<T>(selector: (state: PlayerState) => T): T {
  const store = useContext(PlayerStoreContext)
  if (!store) throw new Error('usePlayer must be used inside a player')
  return useStore(store, selector)
}

/** The surrounding player's store itself (for event handlers that read fresh state). */
export function usePlayerStore(): PlayerStore {
  const store = useContext(PlayerStoreContext)
  if (!store) throw new Error('usePlayerStore must be used inside a player')
  return store
}
