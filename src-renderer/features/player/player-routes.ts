import type { AppRoute } from '../../app/route-types'
import { PLAYER_PATH, PlayerScreen } from './player-screen'

export const playerRoutes: AppRoute[] = [{ pattern: PLAYER_PATH, component: PlayerScreen, navGroup: '/recordings' }]
