/**
 * Every screen of the app. A feature exports its routes from `features/<name>/<name>-routes.ts` and adds one line
 * here; the sidebar is built from the `nav` entries. The placeholders mark screens other features will fill in:
 * replace a `placeholderRoute(...)` line with the feature's routes.
 */
import { playerRoutes } from '../features/player/player-routes'
import { personRoutes } from '../features/persons/persons-routes'
import { recordingRoutes } from '../features/recordings/recording-routes'
import { sourceRoutes } from '../features/sources/sources-routes'
import { placeholderRoute } from './placeholder-screen'
import type { AppRoute } from './route-types'

export const APP_ROUTES: readonly AppRoute[] = [
  ...recordingRoutes,
  ...playerRoutes,
  ...personRoutes,
  placeholderRoute('/funnels', 'Funnels', 30, 'F', 'Conversion funnels over the imported events, with drop-off drill-downs.'),
  placeholderRoute('/sessions', 'Sessions', 40, 'S', 'Session counts, durations and bounce rates.'),
  ...sourceRoutes
]

/** Where `#/` and unknown paths lead. */
export const HOME_TARGET = '/recordings'
