import { describe, expect, it } from 'vitest'
import { DEFAULT_WINDOW_STATE, fitWindowState, parseWindowState } from './window-state'

const laptop = { x: 0, y: 0, width: 1440, height: 900 }
const external = { x: 1440, y: 0, width: 2560, height: 1440 }

describe('parseWindowState', () => {
  it('reads a saved state and falls back on anything malformed', () => {
    expect(
      parseWindowState('{"x":10,"y":20,"width":1000,"height":700,"isMaximized":true}')
    ).toEqual({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
      isMaximized: true,
      isFullScreen: false
    })
    expect(parseWindowState(null)).toEqual(DEFAULT_WINDOW_STATE)
    expect(parseWindowState('{oops')).toEqual(DEFAULT_WINDOW_STATE)
    expect(parseWindowState('{"width":10,"height":"big"}')).toMatchObject({
      width: DEFAULT_WINDOW_STATE.width,
      height: DEFAULT_WINDOW_STATE.height
    })
  })
})

describe('fitWindowState', () => {
  it('keeps a window that is still on a display', () => {
    const state = {
      x: 1600,
      y: 100,
      width: 1800,
      height: 1000,
      isMaximized: false,
      isFullScreen: false
    }
    expect(fitWindowState(state, [laptop, external])).toEqual(state)
  })

  it('drops the position of a window left on a display that is gone, and shrinks it to fit', () => {
    const state = {
      x: 1600,
      y: 100,
      width: 2400,
      height: 1300,
      isMaximized: false,
      isFullScreen: false
    }
    expect(fitWindowState(state, [laptop])).toEqual({
      x: undefined,
      y: undefined,
      width: 1440,
      height: 900,
      isMaximized: false,
      isFullScreen: false
    })
  })

  it('drops a position whose title bar is above the screen', () => {
    const state = {
      x: 100,
      y: -500,
      width: 1000,
      height: 700,
      isMaximized: false,
      isFullScreen: false
    }
    expect(fitWindowState(state, [laptop])).toMatchObject({ x: undefined, y: undefined })
  })
})
