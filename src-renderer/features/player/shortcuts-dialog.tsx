import { useEffect, useRef } from 'react'
import { usePlayer, usePlayerStore } from './player-store'

const SHORTCUTS: ReadonlyArray<[string[], string]> = [
  [['Space'], 'Play / pause'],
  [['←', '→'], 'Back / forward 5 seconds'],
  [['Shift', '←/→'], 'Back / forward one frame'],
  [['1', '…', '6'], 'Speed 0.5×, 1×, 2×, 4×, 8×, 16×'],
  [['n'], 'Next exception'],
  [['p'], 'Previous exception'],
  [['f'], 'Full screen'],
  [['Home', 'End'], 'Start / end'],
  [['?'], 'This list']
]

/** The keyboard shortcut list (`?`). */
export function ShortcutsDialog() {
  const isOpen = usePlayer((s) => s.isHelpOpen)
  const store = usePlayerStore()
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (isOpen && !element.open) element.showModal()
    if (!isOpen && element.open) element.close()
  }, [isOpen])
  return (
    <dialog ref={dialog} className="shortcuts-dialog" aria-label="Keyboard shortcuts" onClose={() => store.getState().setHelpOpen(false)}>
      {/* Focus lands on the heading, not on Close: Space or Enter must not close the list by accident. */}
      <h2 tabIndex={-1} autoFocus>
        Keyboard shortcuts
      </h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <td>
                {keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" onClick={() => store.getState().setHelpOpen(false)}>
        Close
      </button>
    </dialog>
  )
}
