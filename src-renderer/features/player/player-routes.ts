import type { AppRoute } from '../../app/route-types'
import { PlayerScreen } from './player-screen'

export const playerRoutes: AppRoute[] = [{ pattern: '/recordings/:id', component: PlayerScreen, navGroup: '/recordings' }]
