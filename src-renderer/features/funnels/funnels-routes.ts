import type { AppRoute } from '../../app/route-types'
import { FunnelScreen } from './funnel-screen'

export const funnelRoutes: AppRoute[] = [
  { pattern: '/funnels', component: FunnelScreen, nav: { label: 'Funnels', order: 30, glyph: 'F' } }
]
