import type {
  PersonEventsPage,
  PersonEventsQuery,
  PersonPage,
  PersonQuery,
  PersonTimeline
} from '@shared/analytics'
import type { PersonDetail } from '@shared/domain'

/** Requests of the persons list and the person page. */
export type PersonChannels = {
  'persons:list': (query: PersonQuery) => PersonPage
  /** A person by id, distinct id or email; null when unknown. */
  'persons:get': (id: string) => PersonDetail | null
  /** The person's events, newest first, optionally of one name. */
  'persons:list-events': (query: PersonEventsQuery) => PersonEventsPage
  /** Sessions across devices and windows, oldest first; null when the person is unknown. */
  'persons:get-timeline': (id: string) => PersonTimeline | null
}

export const PERSON_CHANNELS = {
  'persons:list': true,
  'persons:get': true,
  'persons:list-events': true,
  'persons:get-timeline': true
} as const satisfies Record<keyof PersonChannels, true>
