import type {
  EventNameCount,
  FunnelDefinition,
  FunnelIssuesResult,
  FunnelPersonsPage,
  FunnelPersonsQuery,
  FunnelResult,
  SavedFunnel,
  SessionListQuery,
  SessionPage,
  SessionQuery,
  SessionStats
} from '@shared/analytics'

/**
 * Requests of the funnel and session screens. They run in the analytics worker, off the thread that serves the UI.
 */
export type AnalyticsChannels = {
  /** Counts, conversion and time to convert per step (and per breakdown value). */
  'funnels:compute': (definition: FunnelDefinition) => FunnelResult
  /** The persons behind a bar: dropped after a step, or converted to the next, with their recordings. */
  'funnels:list-persons': (query: FunnelPersonsQuery) => FunnelPersonsPage
  /** Exceptions over-represented among the attempts that dropped off after `stepIndex` (0-based). */
  'funnels:find-issues': (definition: FunnelDefinition, stepIndex: number) => FunnelIssuesResult
  'funnels:list-saved': () => SavedFunnel[]
  /** Saves a funnel under a name (one of the same name is replaced). */
  'funnels:save': (name: string, definition: FunnelDefinition) => SavedFunnel
  'funnels:delete': (id: number) => void
  /** Every event name with its count, most frequent first (the step picker). */
  'analytics:list-event-names': () => EventNameCount[]
  /** Property names seen on recent occurrences of an event (the filter picker). */
  'analytics:list-event-properties': (event: string) => string[]
  'sessions:get-stats': (query: SessionQuery) => SessionStats
  /** The sessions behind one figure of the stats, newest first, with their recordings. */
  'sessions:list': (query: SessionListQuery) => SessionPage
}

export const ANALYTICS_CHANNELS = {
  'funnels:compute': true,
  'funnels:list-persons': true,
  'funnels:find-issues': true,
  'funnels:list-saved': true,
  'funnels:save': true,
  'funnels:delete': true,
  'analytics:list-event-names': true,
  'analytics:list-event-properties': true,
  'sessions:get-stats': true,
  'sessions:list': true
} as const satisfies Record<keyof AnalyticsChannels, true>
