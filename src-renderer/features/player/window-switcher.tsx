import { usePlayer, usePlayerStore } from './player-store'

/** Tabs for the windows (browser tabs) of a multi-window recording, and the auto-follow switch. */
export function WindowSwitcher() {
  const windows = usePlayer((s) => s.detail.windows)
  const windowId = usePlayer((s) => s.windowId)
  const followWindow = usePlayer((s) => s.followWindow)
  const store = usePlayerStore()
  if (windows.length < 2) return null
  return (
    <div className="window-switcher" role="group" aria-label="Windows">
      {windows.map((w) => (
        <button
          key={w.windowId}
          type="button"
          className="button window-tab"
          aria-pressed={w.windowId === windowId}
          title={w.startUrl ?? w.windowId}
          onClick={() => store.getState().selectWindow(w.windowId)}
        >
          Window {w.index}
        </button>
      ))}
      <label className="checkbox" title="Show whichever window is active as playback moves">
        <input type="checkbox" checked={followWindow} onChange={(event) => store.getState().setFollowWindow(event.target.checked)} />
        Follow
      </label>
    </div>
  )
}
