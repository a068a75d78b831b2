import { useEffect, type RefObject } from 'react'
import { FRAME_MS, SPEEDS, type PlayerStore } from './player-store'

/** Handles one key for the player; returns false when the key is not a player shortcut. Exported for tests. */
export function handlePlayerKey(
  store: PlayerStore,
  key: string,
  modifiers: { shiftKey: boolean },
  toggleFullscreen: () => void
): boolean {
  const state = store.getState()
  // While the shortcut list is open only `?` and Escape act (they close it); the replay stays paused behind it.
  if (state.isHelpOpen) {
    if (key === '?' || key === 'Escape') state.setHelpOpen(false)
    return true
  }
  switch (key) {
    case ' ':
    case 'k':
      state.togglePlay()
      return true
    case 'ArrowLeft':
      state.seekBy(modifiers.shiftKey ? -FRAME_MS : -5000)
      return true
    case 'ArrowRight':
      state.seekBy(modifiers.shiftKey ? FRAME_MS : 5000)
      return true
    case 'Home':
      state.seekToOffset(0)
      return true
    case 'End':
      state.seekToOffset(state.durationMs)
      return true
    case 'n':
      state.goToNextException()
      return true
    case 'p':
      state.goToPreviousException()
      return true
    case 'f':
      toggleFullscreen()
      return true
    case '?':
      state.setHelpOpen(!state.isHelpOpen)
      return true
    default: {
      const index = Number(key) - 1
      const speed = SPEEDS[index]
      if (/^[1-6]$/.test(key) && speed !== undefined) {
        state.setSpeed(speed)
        return true
      }
      return false
    }
  }
}

/** What a click can leave focused that Space would otherwise press again. */
const CONTROLS = 'button, a, [role="row"], input'

/** Whether keys typed at `target` are text (a text field, a select, an open dialog): the player leaves them alone. */
function isTextEntry(target: Element | null): boolean {
  if (!target) return false
  if (target.closest('textarea, select, [contenteditable="true"], dialog')) return true
  const input = target.closest('input')
  return input !== null && !['checkbox', 'radio', 'button', 'range', 'color'].includes(input.type)
}

/** Player keyboard shortcuts on the whole window, except while typing in a field. */
export function usePlayerShortcuts(store: PlayerStore, fullscreenRef: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    // The control focused by the last click (null once focus moves by keyboard).
    let clicked: Element | null = null
    const onPointerDown = (event: PointerEvent) => {
      clicked = event.target instanceof Element ? event.target.closest(CONTROLS) : null
    }
    const onFocusIn = (event: FocusEvent) => {
      if (event.target !== clicked) clicked = null
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
      if (store.getState().isHelpOpen) {
        // The dialog's own Escape (cancel) closes it too; every other key is kept from the player and the page.
        if (event.key !== 'Tab' && event.key !== 'Enter' && event.key !== ' ') {
          handlePlayerKey(store, event.key, { shiftKey: event.shiftKey }, () => undefined)
          if (event.key !== 'Escape') event.preventDefault()
        }
        return
      }
      const target = event.target instanceof Element ? event.target : null
      if (isTextEntry(target)) return
      // A control the user reached with the keyboard keeps Space and Enter (to press it); one they clicked gives the
      // player its keys back (after clicking "Skip inactivity" or "+5s", Space pauses instead of clicking it again).
      const control = target?.closest(CONTROLS)
      if (control instanceof HTMLElement && (event.key === ' ' || event.key === 'Enter')) {
        if (control !== clicked || event.key === 'Enter') return
        control.blur()
      }
      const toggleFullscreen = () => {
        if (document.fullscreenElement) void document.exitFullscreen()
        else void fullscreenRef.current?.requestFullscreen()
      }
      if (handlePlayerKey(store, event.key, { shiftKey: event.shiftKey }, toggleFullscreen)) event.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    window.addEventListener('pointerdown', onPointerDown, true)
    window.addEventListener('focusin', onFocusIn, true)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('pointerdown', onPointerDown, true)
      window.removeEventListener('focusin', onFocusIn, true)
    }
  }, [store, fullscreenRef])
}
