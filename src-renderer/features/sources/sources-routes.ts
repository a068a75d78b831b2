import { desktop } from '../../api-client'
import { useAppStore } from '../../app/app-store'
import type { AppRoute } from '../../app/route-types'
import { SourcesScreen } from './sources-screen'
import { installSyncRefresh } from './sync-refresh'

export const sourceRoutes: AppRoute[] = [
  {
    pattern: '/sources',
    component: SourcesScreen,
    nav: { label: 'Sources', order: 50, glyph: 'I' }
  }
]

// Whatever screen is showing refetches after a sync that changed the cache (a watched folder syncs by itself).
// Installed here, once, because the app loads every feature's routes at start-up.
installSyncRefresh(desktop, useAppStore)
