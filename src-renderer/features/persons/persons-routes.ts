import type { AppRoute } from '../../app/route-types'
import { PersonScreen } from './person-screen'
import { PersonsListScreen } from './persons-list-screen'

export const personRoutes: AppRoute[] = [
  {
    pattern: '/persons',
    component: PersonsListScreen,
    nav: { label: 'Persons', order: 20, glyph: 'P' }
  },
  { pattern: '/persons/:id', component: PersonScreen, navGroup: '/persons' }
]
