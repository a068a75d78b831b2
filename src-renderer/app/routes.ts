/**
 * Every screen of the app. A feature exports its routes from `features/<name>/<name>-routes.ts` and adds one line
 * here; the sidebar is built from the `nav` entries. The placeholders mark screens other features will fill in:
 * replace a `placeholderRoute(...)` line with the feature's routes.
 */
import { playerRoutes } from '../features/player/player-routes'
import { funnelRoutes } from '../features/funnels/funnels-routes'
import { personRoutes } from '../features/persons/persons-routes'
import { recordingRoutes } from '../features/recordings/recording-routes'
import { sessionRoutes } from '../features/sessions/sessions-routes'
import { sourceRoutes } from '../features/sources/sources-routes'
import type { AppRoute } from './route-types'

export const APP_ROUTES: readonly AppRoute[] = [
  ...recordingRoutes,
  ...playerRoutes,
  ...personRoutes,
  ...funnelRoutes,
  ...sessionRoutes,
  ...sourceRoutes
]

/** Where `#/` and unknown paths lead. */
export const HOME_TARGET = '/recordings'
