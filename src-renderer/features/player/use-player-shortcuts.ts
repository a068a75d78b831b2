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

/** Player keyboard shortcuts on the whole window, except while typing in a field. */
export function usePlayerShortcuts(store: PlayerStore, fullscreenRef: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
      const target = event.target instanceof Element ? event.target : null
      if (target?.closest('input, textarea, select, [contenteditable="true"], dialog')) return
      if (event.key === ' ' && target?.closest('button, a, [role="row"]')) return
      const toggleFullscreen = () => {
        if (document.fullscreenElement) void document.exitFullscreen()
        else void fullscreenRef.current?.requestFullscreen()
      }
      if (handlePlayerKey(store, event.key, { shiftKey: event.shiftKey }, toggleFullscreen)) event.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store, fullscreenRef])
}
