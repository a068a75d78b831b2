import type { AppRoute } from '../../app/route-types'
import { RecordingListScreen } from './recording-list-screen'

export const recordingRoutes: AppRoute[] = [
  { pattern: '/recordings', component: RecordingListScreen, nav: { label: 'Recordings', order: 10, glyph: 'R' } }
]
