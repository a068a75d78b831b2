/** Where and how big the main window was when it last closed. */
export type WindowState = {
  x?: number
  y?: number
  width: number
  height: number
  isMaximized: boolean
  isFullScreen: boolean
}

/** A display's usable area, as Electron's `screen.getAllDisplays()[i].workArea`. */
export type WorkArea = { x: number; y: number; width: number; height: number }

export const DEFAULT_WINDOW_STATE: WindowState = {
  width: 1280,
  height: 820,
  isMaximized: false,
  isFullScreen: false
}
export const MIN_WINDOW_SIZE = { width: 720, height: 480 }

/** Reads a saved state, falling back to the default for anything missing or malformed. */
export function parseWindowState(text: string | null): WindowState {
  if (text === null) return { ...DEFAULT_WINDOW_STATE }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { ...DEFAULT_WINDOW_STATE }
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE }
  const value = raw as Record<string, unknown>
  const int = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined
  const width = int(value.width)
  const height = int(value.height)
  return {
    x: int(value.x),
    y: int(value.y),
    width:
      width !== undefined && width >= MIN_WINDOW_SIZE.width ? width : DEFAULT_WINDOW_STATE.width,
    height:
      height !== undefined && height >= MIN_WINDOW_SIZE.height
        ? height
        : DEFAULT_WINDOW_STATE.height,
    isMaximized: value.isMaximized === true,
    isFullScreen: value.isFullScreen === true
  }
}

/**
 * Fits a saved state to the displays attached now.
 *
 * Keeps the position when the window's title bar area still lies on some display; otherwise drops it (the OS
 * centres the window). Shrinks the size to the largest display so a window saved on a big monitor still fits.
 */
export function fitWindowState(state: WindowState, workAreas: readonly WorkArea[]): WindowState {
  if (workAreas.length === 0) return state
  const largest = workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a))
  const width = Math.max(MIN_WINDOW_SIZE.width, Math.min(state.width, largest.width))
  const height = Math.max(MIN_WINDOW_SIZE.height, Math.min(state.height, largest.height))
  if (state.x === undefined || state.y === undefined)
    return { ...state, x: undefined, y: undefined, width, height }
  const { x, y } = state
  // The top strip of the window (where it can be grabbed) must be visible by at least 100 px on one display.
  const visible = workAreas.some((area) => {
    const overlapX = Math.min(x + width, area.x + area.width) - Math.max(x, area.x)
    const titleBarVisible = y >= area.y && y < area.y + area.height - 40
    return overlapX >= 100 && titleBarVisible
  })
  return visible
    ? { ...state, width, height }
    : { ...state, x: undefined, y: undefined, width, height }
}
