import type { AnalyticsChannels } from '@shared/contract/analytics-channels'
import type { PersonChannels } from '@shared/contract/person-channels'
import type { ApiHandlers } from '@shared/ipc-contract'
import { createWorkerAnalyticsService } from '../analytics/analytics-client'
import { createLocalAnalyticsService, type AnalyticsService } from '../analytics/analytics-engine'
import { subscribe, type AppContext } from '../core/app-context'
import { deleteSavedFunnel, listSavedFunnels, saveFunnel } from '../db/saved-funnel-queries'

const services = new WeakMap<AppContext, AnalyticsService>()

/**
 * The analytics service of a context: a worker thread over the cache file (the desktop app and the web host), or
 * in process for an in-memory cache and the CLI. Created once per context.
 *
 * The worker needs the same better-sqlite3 build as this thread: it takes `TAPEDECK_NATIVE_BINDING` when set. If it
 * cannot start, the queries run in process.
 */
export function getAnalyticsService(context: AppContext): AnalyticsService {
  let service = services.get(context)
  if (!service) {
    const file = context.db.name
    const inProcess =
      context.shell === 'cli' || file === ':memory:' || file === '' || context.db.memory
    service = inProcess
      ? createLocalAnalyticsService(context.db)
      : createWorkerAnalyticsService({
          dbFile: file,
          nativeBinding: process.env.TAPEDECK_NATIVE_BINDING || undefined,
          warmUp: true,
          fallback: () => createLocalAnalyticsService(context.db)
        })
    services.set(context, service)
  }
  return service
}

/** Stops the context's analytics worker (when the app or the web host shuts down). */
export async function closeAnalyticsService(context: AppContext): Promise<void> {
  const service = services.get(context)
  services.delete(context)
  await service?.close()
}

const warmed = new WeakSet<AppContext>()

/**
 * After every import or sync that finishes in this context (`import:finished`, `sync:finished`), warms the analytics
 * up again in the background: the worker sees the data changed, updates its store with the imported events and
 * carries its columns over (or rebuilds them), so the next funnel or session query does not pay for it. A query
 * asked meanwhile is answered between the warm-up's steps. Subscribes to the context's events once.
 */
export function warmUpAfterImports(context: AppContext): void {
  if (warmed.has(context)) return
  warmed.add(context)
  subscribe(context, (channel) => {
    if (channel === 'import:finished' || channel === 'sync:finished') {
      void getAnalyticsService(context)
        .warmUp()
        .catch(() => undefined)
    }
  })
}

/** Handlers of the `funnels:*`, `analytics:*`, `sessions:*` and `persons:*` channels. */
export function createAnalyticsHandlers(
  context: AppContext
): Pick<ApiHandlers, keyof AnalyticsChannels | keyof PersonChannels> {
  const analytics = () => getAnalyticsService(context)
  // The desktop app and the web host start the worker now, so it loads the events while the user looks around.
  if (context.shell !== 'cli') {
    analytics()
    warmUpAfterImports(context)
  }
  return {
    'funnels:compute': (definition) => analytics().computeFunnel(definition),
    'funnels:list-persons': (query) => analytics().listFunnelPersons(query),
    'funnels:find-issues': (definition, stepIndex) =>
      analytics().findFunnelIssues(definition, stepIndex),
    'funnels:list-saved': () => listSavedFunnels(context.db),
    'funnels:save': (name, definition) => saveFunnel(context.db, name, definition),
    'funnels:delete': (id) => deleteSavedFunnel(context.db, id),
    'analytics:list-event-names': () => analytics().listEventNames(),
    'analytics:list-event-properties': (event) => analytics().listEventProperties(event),
    'sessions:get-stats': (query) => analytics().getSessionStats(query),
    'sessions:list': (query) => analytics().listSessions(query),
    'persons:list': (query) => analytics().listPersons(query),
    'persons:get': (id) => analytics().getPerson(id),
    'persons:list-events': (query) => analytics().listPersonEvents(query),
    'persons:get-timeline': (id) => analytics().getPersonTimeline(id)
  }
}
