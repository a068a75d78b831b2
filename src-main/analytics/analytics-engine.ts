import type {
  EventNameCount,
  FunnelDefinition,
  FunnelIssuesResult,
  FunnelPersonsPage,
  FunnelPersonsQuery,
  FunnelResult,
  PersonEventsPage,
  PersonEventsQuery,
  PersonPage,
  PersonQuery,
  PersonTimeline,
  SessionListQuery,
  SessionPage,
  SessionQuery,
  SessionStats
} from '@shared/analytics'
import type { PersonDetail } from '@shared/domain'
import { listEventNames, listEventPropertyNames } from '../db/event-queries'
import type { ReadableDb } from '../db/types'
import {
  getDataFingerprint,
  getLazy,
  getRowids,
  getSessionColumn,
  loadEventStore,
  saveEventStore,
  loadPropertyColumns,
  type EventStore
} from './event-store'
import { findFunnelIssues } from './funnel-issues'
import {
  computeFunnel,
  listFunnelPersons,
  summarizeFunnel,
  type FunnelComputation
} from './funnels'
import { getPersonTimeline } from './person-timeline'
import { getPerson, listPersonEvents, listPersons, resolvePersonId } from './persons'
import { carrySessionDevices, computeSessionStats, listSessions } from './sessions'
import { createConnectionSnapshotStore, type SnapshotStore } from './store-snapshots'

/**
 * Holds the in-memory event store of one connection and updates (or rebuilds) it when the data changed (an import
 * ran).
 *
 * Also keeps the last few funnel computations, so the drill-downs of a funnel on screen do not recompute it.
 */
export type AnalyticsEngine = {
  db: ReadableDb
  getStore(): EventStore
  getFunnel(definition: FunnelDefinition): FunnelComputation
}

const FUNNELS_KEPT = 4

/**
 * The properties funnels filter `$pageview` steps on most (`$current_url contains /cart`, `$pathname starts with
 * /product/`), read together when the engine warms up. They are kept in `event_columns` (migration 0007), so this
 * reads a narrow table for every event instead of parsing 1.7M pageviews' JSON (8–20 s on 5M events here).
 */
export const COMMON_PAGEVIEW_PROPERTIES = [
  '$current_url',
  '$pathname',
  '$host',
  '$referring_domain'
] as const

export type AnalyticsEngineOptions = {
  /**
   * Where the store and its columns are saved across runs. Defaults to the connection itself (written unless it
   * is read-only); null keeps everything in memory.
   */
  snapshots?: SnapshotStore | null
}

/** Creates an engine over a connection (the worker's own, or the caller's in the CLI and tests). */
export function createAnalyticsEngine(
  db: ReadableDb,
  options: AnalyticsEngineOptions = {}
): AnalyticsEngine {
  const snapshots =
    options.snapshots === undefined ? createConnectionSnapshotStore(db) : options.snapshots
  let store: EventStore | null = null
  let funnels: { key: string; computation: FunnelComputation }[] = []
  const getStore = (): EventStore => {
    const fingerprint = getDataFingerprint(db)
    if (store === null || store.fingerprint !== fingerprint) {
      // The store of the data before an import is the start of the next one (see updateEventStore).
      const previous = store
      store = null
      funnels = []
      store = loadEventStore(db, { snapshots, previous, carryOver: [carrySessionDevices] })
    }
    return store
  }
  return {
    db,
    getStore,
    getFunnel(definition) {
      const current = getStore()
      const key = JSON.stringify(definition)
      const hit = funnels.find((f) => f.key === key && f.computation.store === current)
      if (hit) return hit.computation
      const computation = computeFunnel(db, current, definition)
      funnels = [{ key, computation }, ...funnels].slice(0, FUNNELS_KEPT)
      return computation
    }
  }
}

/**
 * Every analytics query, as functions of an engine: the worker and the in-process service both dispatch here, so
 * the two cannot drift apart.
 */
export const ANALYTICS_METHODS = {
  computeFunnel(engine: AnalyticsEngine, definition: FunnelDefinition): FunnelResult {
    return summarizeFunnel(engine.getFunnel(definition))
  },
  listFunnelPersons(engine: AnalyticsEngine, query: FunnelPersonsQuery): FunnelPersonsPage {
    return listFunnelPersons(engine.db, engine.getFunnel(query.definition), query)
  },
  findFunnelIssues(
    engine: AnalyticsEngine,
    definition: FunnelDefinition,
    stepIndex: number
  ): FunnelIssuesResult {
    return findFunnelIssues(engine.db, engine.getFunnel(definition), stepIndex)
  },
  getSessionStats(engine: AnalyticsEngine, query: SessionQuery): SessionStats {
    // Kept with the store (the warm-up computes the default query), so asking again costs nothing.
    const store = engine.getStore()
    return getLazy(store, `session-stats:${JSON.stringify(query)}`, () =>
      computeSessionStats(engine.db, store, query)
    )
  },
  listSessions(engine: AnalyticsEngine, query: SessionListQuery): SessionPage {
    return listSessions(engine.db, engine.getStore(), query)
  },
  listPersons(engine: AnalyticsEngine, query: PersonQuery): PersonPage {
    return listPersons(engine.db, engine.getStore(), query)
  },
  getPerson(engine: AnalyticsEngine, id: string): PersonDetail | null {
    return getPerson(engine.db, engine.getStore(), id)
  },
  listPersonEvents(engine: AnalyticsEngine, query: PersonEventsQuery): PersonEventsPage {
    return listPersonEvents(engine.db, engine.getStore(), query)
  },
  getPersonTimeline(engine: AnalyticsEngine, id: string): PersonTimeline | null {
    const personId = resolvePersonId(engine.db, engine.getStore(), id)
    return personId === null ? null : getPersonTimeline(engine.db, personId)
  },
  listEventNames(engine: AnalyticsEngine): EventNameCount[] {
    return listEventNames(engine.db)
  },
  listEventProperties(engine: AnalyticsEngine, event: string): string[] {
    return listEventPropertyNames(engine.db, event)
  },
  /**
   * Loads (or reads back) everything a first funnel or session query needs: the store, rowids, session ids, the
   * common `$pageview` properties and the session statistics' device look-ups. The app sends it when the worker
   * starts and after each import, before the user asks anything. The worker runs it a step at a time (see
   * `getWarmUpSteps`), answering the user's requests between steps.
   */
  warmUp(engine: AnalyticsEngine): { events: number } {
    for (const step of getWarmUpSteps(engine)) while (step() === true);
    return { events: engine.getStore().timestampMs.length }
  }
}

/** One step of the warm-up; `true` means it has more to do (run it again). */
export type WarmUpStep = () => unknown

/**
 * The warm-up as separate steps, most needed first: the store (updated from the previous one after an import), its
 * rowids, each common URL property column, the `$session_id` column, the session statistics by `$session_id` (which
 * look up every session's device), then the snapshots an updated store has not saved yet, one per step. Each step
 * reuses what the earlier ones (or a request in between) built, so a step already done costs nothing.
 */
export function getWarmUpSteps(engine: AnalyticsEngine): WarmUpStep[] {
  return [
    () => engine.getStore(),
    () => getRowids(engine.db, engine.getStore()),
    ...COMMON_PAGEVIEW_PROPERTIES.map(
      (property) => () => loadPropertyColumns(engine.db, engine.getStore(), null, [property])
    ),
    () => getSessionColumn(engine.db, engine.getStore()),
    () => ANALYTICS_METHODS.getSessionStats(engine, { definition: { kind: 'session-id' } }),
    () => saveEventStore(engine.getStore(), 1) > 0
  ]
}

export type AnalyticsMethods = typeof ANALYTICS_METHODS
export type AnalyticsMethod = keyof AnalyticsMethods

type DropFirst<T extends unknown[]> = T extends [unknown, ...infer Rest] ? Rest : never

/** The analytics queries as the API sees them: asynchronous, whether they run in a worker or in process. */
export type AnalyticsService = {
  [M in AnalyticsMethod]: (
    ...args: DropFirst<Parameters<AnalyticsMethods[M]>>
  ) => Promise<ReturnType<AnalyticsMethods[M]>>
} & { close(): Promise<void> }

/** Calls one method by name (the worker's dispatcher). */
export function callAnalyticsMethod(
  engine: AnalyticsEngine,
  method: AnalyticsMethod,
  args: unknown[]
): unknown {
  const fn = ANALYTICS_METHODS[method] as (engine: AnalyticsEngine, ...rest: unknown[]) => unknown
  if (typeof fn !== 'function') throw new Error(`unknown analytics method ${String(method)}`)
  return fn(engine, ...args)
}

/** The service running on the caller's thread, over its connection (CLI, tests, in-memory caches). */
export function createLocalAnalyticsService(db: ReadableDb): AnalyticsService {
  const engine = createAnalyticsEngine(db)
  const service = { close: async () => undefined } as Record<string, unknown>
  for (const method of Object.keys(ANALYTICS_METHODS) as AnalyticsMethod[]) {
    service[method] = async (...args: unknown[]) => callAnalyticsMethod(engine, method, args)
  }
  return service as AnalyticsService
}
