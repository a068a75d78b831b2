import type { AppRoute } from '../../app/route-types'
import { SessionsScreen } from './sessions-screen'

export const sessionRoutes: AppRoute[] = [
  {
    pattern: '/sessions',
    component: SessionsScreen,
    nav: { label: 'Sessions', order: 40, glyph: 'S' }
  }
]
