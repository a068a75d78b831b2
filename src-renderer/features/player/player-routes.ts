import type { AppRoute } from '../../app/route-types'
import { PLAYER_PATH } from './opening-requests'
import { PlayerScreen } from './player-screen'

export const playerRoutes: AppRoute[] = [{ pattern: PLAYER_PATH, component: PlayerScreen, navGroup: '/recordings' }]
