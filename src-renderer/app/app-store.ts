/**
 * App-wide UI state: what the core told us about itself, the import in progress, and the readiness flag that
 * automation waits for (`data-app-state` on the shell's root).
 */
import { useEffect } from 'react'
import { create } from 'zustand'
import type { AppInfo } from '@shared/contract/app-channels'
import type { CacheTotals, ImportProgress, ImportSummary } from '@shared/domain'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../api-client'

export type ScreenState = 'loading' | 'ready' | 'error'

export type AppState = {
  info: AppInfo | null
  totals: CacheTotals | null
  infoError: string | null
  screenState: ScreenState
  importProgress: ImportProgress | null
  lastImport: ImportSummary | null
  /** Bumped after every finished import so mounted screens refetch. */
  dataVersion: number
  isDemoBannerDismissed: boolean
  load: () => Promise<void>
  setScreenState: (state: ScreenState) => void
  dismissDemoBanner: () => void
  /** Subscribes to the core's import events; returns the unsubscribe. */
  listen: () => () => void
}

/** Creates the app store over a contract client (tests pass a fake). */
export function createAppStore(api: DesktopApi) {
  return create<AppState>()((set, get) => ({
    info: null,
    totals: null,
    infoError: null,
    screenState: 'loading',
    importProgress: null,
    lastImport: null,
    dataVersion: 0,
    isDemoBannerDismissed: false,
    load: async () => {
      try {
        const [info, totals] = await Promise.all([api.invoke('app:get-info'), api.invoke('app:get-totals')])
        set({ info, totals, infoError: null })
      } catch (error) {
        set({ infoError: describeError(error) })
      }
    },
    setScreenState: (screenState) => {
      if (get().screenState !== screenState) set({ screenState })
    },
    dismissDemoBanner: () => set({ isDemoBannerDismissed: true }),
    listen: () => {
      const offProgress = api.on('import:progress', (importProgress) => set({ importProgress }))
      const offFinished = api.on('import:finished', (summary) =>
        set((state) => ({
          importProgress: null,
          lastImport: summary,
          totals: summary.totals,
          dataVersion: state.dataVersion + 1
        }))
      )
      return () => {
        offProgress()
        offFinished()
      }
    }
  }))
}

export type AppStore = ReturnType<typeof createAppStore>

/** The app's store over the real client. */
export const useAppStore = createAppStore(desktop)

/**
 * Reports whether the current screen shows its data. The shell's root carries it as `data-app-state`; leaving the
 * screen resets it to `loading`.
 */
export function useScreenReady(state: ScreenState, store: AppStore = useAppStore): void {
  const setScreenState = store((s) => s.setScreenState)
  useEffect(() => {
    setScreenState(state)
  }, [setScreenState, state])
  useEffect(() => () => setScreenState('loading'), [setScreenState])
}
