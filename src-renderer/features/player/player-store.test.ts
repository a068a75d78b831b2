import { describe, expect, it } from 'vitest'
import { buildDetail, buildException, buildSummary, T0 } from '../../test/builders'
import { createPlayerStore, initialOffsetFromSearch, selectOverlayException, type PlayerControls } from './player-store'
import { handlePlayerKey } from './use-player-shortcuts'

function fakeControls() {
  const calls: Array<[string, unknown?]> = []
  const controls: PlayerControls = {
    play: () => calls.push(['play']),
    pause: () => calls.push(['pause']),
    seek: (timeMs) => calls.push(['seek', timeMs - T0]),
    selectWindow: (windowId) => calls.push(['window', windowId]),
    setOptions: (options) => calls.push(['options', options])
  }
  return { calls, controls }
}

const detail = buildDetail({
  summary: buildSummary({ durationMs: 60_000 }),
  exceptions: [
    buildException({ id: 1, timestampMs: T0 + 10_000, message: 'first' }),
    buildException({ id: 2, timestampMs: T0 + 30_000, message: 'second', source: 'console', type: 'console.error' })
  ]
})

describe('player store', () => {
  it('seeks through the engine, clamped to the recording', () => {
    const store = createPlayerStore(detail)
    const { calls, controls } = fakeControls()
    store.getState().attachControls(controls)
    store.getState().seekToOffset(12_000)
    store.getState().seekBy(-20_000)
    store.getState().seekBy(500_000)
    expect(calls).toEqual([['seek', 12_000], ['seek', 0], ['seek', 60_000]])
    expect(store.getState().currentOffsetMs).toBe(60_000)
  })

  it('opens without the timeline and shows its exceptions, rows and overlay once it comes in', () => {
    const store = createPlayerStore({ ...detail, exceptions: [], items: [] }, { isTimelinePending: true })
    const { calls, controls } = fakeControls()
    store.getState().attachControls(controls)
    store.getState().onEngineTime(T0 + 12_000)
    expect(store.getState().timelineStatus).toBe('loading')
    expect(store.getState().rows).toEqual([])
    expect(selectOverlayException(store.getState())).toBeNull()
    store.getState().goToNextException()
    expect(calls).toEqual([])

    const items = [
      { timestampMs: T0 + 2_000, windowId: null, kind: 'click' as const, level: null, label: 'Click on Pay', detail: null },
      { timestampMs: T0 + 5_000, windowId: null, kind: 'console' as const, level: 'warn', label: 'slow', detail: null }
    ]
    store.getState().applyTimeline({ exceptions: detail.exceptions, items })
    const full = createPlayerStore({ ...detail, items }).getState()
    expect(full.rows.length).toBeGreaterThan(items.length)
    expect(store.getState().timelineStatus).toBe('ready')
    expect(store.getState().exceptions).toEqual(full.exceptions)
    expect(store.getState().rows).toEqual(full.rows)
    expect(store.getState().detail).toEqual({ ...detail, items })
    expect(selectOverlayException(store.getState())?.message).toBe('first')
    store.getState().goToNextException()
    expect(calls).toEqual([['seek', 30_000]])
  })

  it('says why the timeline could not be read, and keeps playing', () => {
    const store = createPlayerStore({ ...detail, exceptions: [], items: [] }, { isTimelinePending: true })
    store.getState().failTimeline('The core stopped')
    expect(store.getState()).toMatchObject({ timelineStatus: 'failed', timelineError: 'The core stopped', rows: [] })
    expect(store.getState().durationMs).toBe(60_000)
  })

  it('shows the overlay from the moment an exception is reached until closed, and reopens for the next', () => {
    const store = createPlayerStore(detail)
    store.getState().onEngineTime(T0 + 9_999)
    expect(selectOverlayException(store.getState())).toBeNull()
    store.getState().onEngineTime(T0 + 10_000)
    expect(selectOverlayException(store.getState())?.message).toBe('first')
    store.getState().dismissException(1)
    expect(selectOverlayException(store.getState())).toBeNull()
    store.getState().onEngineTime(T0 + 31_000)
    expect(selectOverlayException(store.getState())?.message).toBe('second')
  })

  it('n / p move between exceptions; show in inspector selects the row', () => {
    const store = createPlayerStore(detail)
    const { calls, controls } = fakeControls()
    store.getState().attachControls(controls)
    store.getState().goToNextException()
    expect(calls.at(-1)).toEqual(['seek', 10_000])
    store.getState().goToNextException()
    expect(calls.at(-1)).toEqual(['seek', 30_000])
    store.getState().goToNextException()
    expect(calls).toHaveLength(2)
    store.getState().goToPreviousException()
    expect(calls.at(-1)).toEqual(['seek', 10_000])
    store.getState().showExceptionInInspector(2)
    expect(store.getState()).toMatchObject({ inspectorTab: 'exceptions', focusedRowKey: 'e2' })
  })

  it('toggles play and pause from the engine state, and passes speed and options on', () => {
    const store = createPlayerStore(detail)
    const { calls, controls } = fakeControls()
    store.getState().attachControls(controls)
    store.getState().onEngineState('paused')
    store.getState().togglePlay()
    store.getState().onEngineState('playing')
    store.getState().togglePlay()
    store.getState().setSpeed(4)
    store.getState().setSkipInactive(false)
    store.getState().onEngineBroken('part 2 is damaged', false)
    store.getState().togglePlay()
    store.getState().onEngineState('paused')
    expect(store.getState().brokenMessage).toBeNull()
    store.getState().onEngineBroken('no full snapshot', true)
    store.getState().togglePlay()
    expect(calls).toEqual([['play'], ['pause'], ['options', { speed: 4 }], ['options', { skipInactive: false }], ['play']])
    expect(store.getState()).toMatchObject({ speed: 4, skipInactive: false, engineState: 'broken', brokenMessage: 'no full snapshot', isUnplayable: true })
  })

  it('maps the keyboard to player actions', () => {
    const store = createPlayerStore(detail)
    const { calls, controls } = fakeControls()
    store.getState().attachControls(controls)
    store.getState().onEngineTime(T0 + 20_000)
    let fullscreen = 0
    const press = (key: string, shiftKey = false) => handlePlayerKey(store, key, { shiftKey }, () => fullscreen++)
    expect(press('ArrowRight')).toBe(true)
    expect(calls.at(-1)).toEqual(['seek', 25_000])
    press('ArrowLeft', true)
    expect(calls.at(-1)?.[1]).toBeCloseTo(25_000 - 1000 / 30)
    press('5')
    expect(store.getState().speed).toBe(8)
    expect(press('x')).toBe(false)
    press('f')
    press('?')
    expect(fullscreen).toBe(1)
    expect(store.getState().isHelpOpen).toBe(true)
  })

  it('opens at ?t= seconds, or at the first $exception with ?at=exception', () => {
    expect(initialOffsetFromSearch(new URLSearchParams('t=12.5'), detail)).toEqual({ offsetMs: 12_500, isDeepLink: true })
    expect(initialOffsetFromSearch(new URLSearchParams('at=exception'), detail)).toEqual({ offsetMs: 10_000, isDeepLink: true })
    const consoleFirst = buildDetail({
      exceptions: [buildException({ id: 5, timestampMs: T0 + 2_000, source: 'console' }), buildException({ id: 6, timestampMs: T0 + 8_000 })]
    })
    expect(initialOffsetFromSearch(new URLSearchParams('at=exception'), consoleFirst).offsetMs).toBe(8_000)
    expect(initialOffsetFromSearch(new URLSearchParams('t=abc'), detail)).toEqual({ offsetMs: 0, isDeepLink: false })
  })

  it('shows an exception stamped after the last replay event once playback is at the end, and n reaches it', () => {
    // acme-small 01a16329…: the console error is the recording's last event and PostHog's `$exception` comes 100 ms
    // later, so the playhead (clamped to the recording) never reaches its time.
    const atEnd = buildDetail({
      summary: buildSummary({ durationMs: 54_627, endedAtMs: T0 + 54_627 }),
      exceptions: [
        buildException({ id: 7, timestampMs: T0 + 20_000, message: 'earlier' }),
        buildException({ id: 42, timestampMs: T0 + 54_627, message: 'boom', source: 'console' }),
        buildException({ id: 15, timestampMs: T0 + 54_727, message: 'boom' })
      ]
    })
    const store = createPlayerStore(atEnd)
    const { calls, controls } = fakeControls()
    store.getState().attachControls(controls)
    expect(store.getState().durationMs).toBe(54_627)
    store.getState().onEngineTime(T0 + 54_626)
    expect(selectOverlayException(store.getState())?.id).toBe(7)
    store.getState().onEngineTime(T0 + 54_627)
    expect(selectOverlayException(store.getState())?.id).toBe(15)
    // From the start, n stops at each exception in turn, the last one at the end; then there is no next.
    store.getState().seekToOffset(0)
    store.getState().goToNextException()
    expect(calls.at(-1)).toEqual(['seek', 20_000])
    store.getState().goToNextException()
    expect(calls.at(-1)).toEqual(['seek', 54_627])
    expect(selectOverlayException(store.getState())?.id).toBe(15)
    const seeks = calls.length
    store.getState().goToNextException()
    expect(calls).toHaveLength(seeks)
    // p from the end goes back to the one before, not to the one already shown.
    store.getState().goToPreviousException()
    expect(calls.at(-1)).toEqual(['seek', 20_000])
  })

  it('pauses behind the shortcut list and resumes when it closes; other keys do nothing while it is open', () => {
    const store = createPlayerStore(detail)
    const { calls, controls } = fakeControls()
    store.getState().attachControls(controls)
    store.getState().onEngineState('playing')
    store.getState().onEngineTime(T0 + 20_000)
    const press = (key: string) => handlePlayerKey(store, key, { shiftKey: false }, () => undefined)
    press('?')
    expect(store.getState().isHelpOpen).toBe(true)
    expect(calls).toEqual([['pause']])
    store.getState().onEngineState('paused')
    for (const key of [' ', 'ArrowRight', 'n', '3', 'End', 'k']) expect(press(key)).toBe(true)
    expect(calls).toEqual([['pause']])
    expect(store.getState()).toMatchObject({ speed: 1, currentOffsetMs: 20_000 })
    press('Escape')
    expect(store.getState().isHelpOpen).toBe(false)
    expect(calls).toEqual([['pause'], ['play']])
    // Opened while paused: closing leaves it paused.
    store.getState().setHelpOpen(true)
    store.getState().setHelpOpen(false)
    expect(calls).toEqual([['pause'], ['play']])
  })
})
