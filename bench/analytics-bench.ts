/**
 * `npm run bench:analytics`: funnels and session statistics over a generated cache of 5M events / 100k persons.
 *
 * Not a test: it prints figures. The cache is generated once into bench/.data (about 2 minutes, 5 GB) and reused.
 * Options: --events N, --persons N, --runs N (warm repetitions, default 3).
 *
 * What it measures:
 *  - through the analytics worker, as the app runs it: with the snapshots cleared (the first queries after an
 *    import), the 5-step funnel with $pathname filters, session statistics and the rest of the warm-up, with the
 *    main thread's worst event-loop delay meanwhile (the UI stays responsive because the work is off this thread);
 *  - after an import as the app does it: snapshots cleared, the background warm-up, then the filtered funnel and
 *    session statistics (--runs times);
 *  - then the app restarted over the same data (a fresh worker reading the snapshots): the first filtered funnel,
 *    a $current_url~=/PRODUCT/ funnel, session statistics, each as the first query of a new worker;
 *  - in this process without snapshots: building the event store from the events, a 3-step and a 5-step funnel
 *    with a 7-day window (first run, which loads the property columns its filters need, and the median of warm
 *    runs), session statistics by $session_id (first run and warm).
 *
 * The cache is migrated to the current schema first (the snapshot table).
 */
import Database from 'better-sqlite3'
import { parseArgs } from 'node:util'
import { join } from 'node:path'
import type { FunnelDefinition, FunnelResult } from '../src-main/shared/analytics'
import { createWorkerAnalyticsService } from '../src-main/analytics/analytics-client'
import {
  createAnalyticsEngine,
  type AnalyticsService
} from '../src-main/analytics/analytics-engine'
import { loadEventStore } from '../src-main/analytics/event-store'
import { createConnectionSnapshotStore } from '../src-main/analytics/store-snapshots'
import { migrate } from '../src-main/db/migrate'
import { computeSessionStats } from '../src-main/analytics/sessions'
import { computeFunnel, summarizeFunnel } from '../src-main/analytics/funnels'
import type { ReadableDb, WritableDb } from '../src-main/db/types'
import { generateAnalyticsData } from './generate-analytics-data'

const DAY_MS = 86_400_000

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000000' },
    persons: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' }
  }
})
const events = Number(values.events)
const persons = Number(values.persons)
const runs = Math.max(1, Number(values.runs))
const file = join(import.meta.dirname, '.data', `analytics-${events}-${persons}.sqlite`)

const THREE_STEPS: FunnelDefinition = {
  steps: [{ event: '$pageview' }, { event: 'added_to_cart' }, { event: 'purchase_completed' }],
  windowMs: 7 * DAY_MS
}
const FIVE_PLAIN_STEPS: FunnelDefinition = {
  steps: [
    { event: '$pageview' },
    { event: 'product_viewed' },
    { event: 'added_to_cart' },
    { event: 'checkout_started' },
    { event: 'purchase_completed' }
  ],
  windowMs: 7 * DAY_MS
}
const FIVE_STEPS: FunnelDefinition = {
  steps: [
    { event: '$pageview', filters: [{ property: '$pathname', operator: 'equals', value: '/' }] },
    {
      event: '$pageview',
      filters: [{ property: '$pathname', operator: 'starts-with', value: '/product/' }]
    },
    { event: 'added_to_cart' },
    { event: 'checkout_started' },
    { event: 'purchase_completed' }
  ],
  windowMs: 7 * DAY_MS
}

// The generated shop has no cart page; the product pages stand in for `$current_url~=/cart`.
const URL_STEPS: FunnelDefinition = {
  steps: [
    { event: '$pageview' },
    {
      event: '$pageview',
      filters: [{ property: '$current_url', operator: 'contains', value: '/PRODUCT/' }]
    },
    { event: 'added_to_cart' },
    { event: 'checkout_started' },
    { event: 'purchase_completed' }
  ],
  windowMs: 7 * DAY_MS
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now()
  const value = fn()
  return { value, ms: performance.now() - started }
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function warm(fn: () => unknown): { median: number; min: number; max: number } {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) samples.push(time(fn).ms)
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) }
}

const rows: [string, string][] = []
const report = (label: string, value: string) => {
  rows.push([label, value])
  console.log(`  ${label.padEnd(58)} ${value}`)
}

console.log(
  `Analytics benchmark: ${events.toLocaleString('en')} events, ${persons.toLocaleString('en')} persons`
)
const generated = generateAnalyticsData({
  file,
  events,
  persons,
  days: 30,
  seed: 42,
  log: (line) => console.log(line)
})
report(
  'cache',
  generated.reused
    ? `reused ${file}`
    : `generated in ${generated.seconds.toFixed(0)} s (${generated.sessions} sessions)`
)

// The analytics worker, as the app runs it. Snapshots are cleared first, so the first worker pays for everything,
// as the first funnel after an import does; the later workers are the app restarted over the same data.
const setup = new Database(file) as unknown as WritableDb
const migration = time(() => migrate(setup))
// Migration 0007 backfills event_columns from every event's JSON: a one-off cost of an older cache.
if (migration.ms > 1000) report('cache migrated to the current schema', seconds(migration.ms))
setup.prepare(`DELETE FROM analytics_snapshots`).run()
setup.close()

/** Deletes every analytics snapshot: the worker then starts as it does right after an import. */
function clearSnapshots(): void {
  const writer = new Database(file) as unknown as WritableDb
  writer.prepare(`DELETE FROM analytics_snapshots`).run()
  writer.close()
}

/** Runs `fn` against a fresh worker, timing each call, with this thread's worst event-loop delay meanwhile. */
async function inWorker(fn: (service: AnalyticsService) => Promise<void>): Promise<number> {
  const service = createWorkerAnalyticsService({ dbFile: file })
  let worstDelayMs = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    worstDelayMs = Math.max(worstDelayMs, now - last - 10)
    last = now
  }, 10)
  try {
    await fn(service)
  } finally {
    clearInterval(timer)
    await service.close()
  }
  return worstDelayMs
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - started }
}

const funnelCounts = (result: FunnelResult) => result.steps.map((s) => s.count).join(' → ')
const bySessionId = { definition: { kind: 'session-id' as const } }

const worstDelayMs = await inWorker(async (service) => {
  const cold = await timed(() => service.computeFunnel(FIVE_STEPS))
  report(
    'worker, no snapshot: 5-step funnel with $pathname filters',
    `${seconds(cold.ms)} (store + column + pass)  counts ${funnelCounts(cold.value)}`
  )
  const warmRun = await timed(() =>
    service.computeFunnel({ ...FIVE_STEPS, windowMs: FIVE_STEPS.windowMs + 1000 })
  )
  report('worker: the same funnel again, warm', seconds(warmRun.ms))
  const sessions = await timed(() => service.getSessionStats(bySessionId))
  report('worker, no snapshot: session stats by $session_id', seconds(sessions.ms))
  const warmUp = await timed(() => service.warmUp())
  report('worker: rest of the warm-up (common URL properties)', seconds(warmUp.ms))
})
report('main thread: worst event-loop delay meanwhile', `${worstDelayMs.toFixed(0)} ms`)

// The app after an import: the worker warms up in the background (import:finished), then the user asks for a funnel.
for (let run = 1; run <= runs; run++) {
  clearSnapshots()
  await inWorker(async (service) => {
    const warmUp = await timed(() => service.warmUp())
    const funnel = await timed(() => service.computeFunnel(FIVE_STEPS))
    const sessions = await timed(() => service.getSessionStats(bySessionId))
    report(
      `after an import (#${run}): warm-up / then 5-step filtered funnel / session stats`,
      `${seconds(warmUp.ms)} / ${seconds(funnel.ms)} / ${seconds(sessions.ms)}`
    )
  })
}

for (let run = 1; run <= runs; run++) {
  await inWorker(async (service) => {
    const funnel = await timed(() => service.computeFunnel(FIVE_STEPS))
    const sessions = await timed(() => service.getSessionStats(bySessionId))
    report(
      `worker restarted (#${run}): 5-step filtered funnel / then session stats`,
      `${seconds(funnel.ms)} / ${seconds(sessions.ms)}  counts ${funnelCounts(funnel.value)}`
    )
  })
}
for (let run = 1; run <= runs; run++) {
  await inWorker(async (service) => {
    const funnel = await timed(() => service.computeFunnel(URL_STEPS))
    report(
      `worker restarted (#${run}): 5-step funnel, $current_url~=/PRODUCT/, first query`,
      `${seconds(funnel.ms)}  counts ${funnelCounts(funnel.value)}`
    )
  })
}
for (let run = 1; run <= runs; run++) {
  await inWorker(async (service) => {
    const sessions = await timed(() => service.getSessionStats(bySessionId))
    report(`worker restarted (#${run}): session stats, first query`, seconds(sessions.ms))
  })
}

const db = new Database(file, { readonly: true }) as unknown as ReadableDb
db.pragma('cache_size = -262144')
const snapshotRead = time(() =>
  loadEventStore(db, { snapshots: createConnectionSnapshotStore(db) })
)
report('event store read back from its snapshot', seconds(snapshotRead.ms))
// The in-process figures below rebuild from the events: no snapshots.
const engine = createAnalyticsEngine(db, { snapshots: null })

const storeBuild = time(() => engine.getStore())
report(
  'event store build (cold, once per import)',
  `${seconds(storeBuild.ms)} (${storeBuild.value.timestampMs.length.toLocaleString('en')} events)`
)

for (const [name, definition] of [
  ['3-step funnel, 7-day window', THREE_STEPS],
  ['5-step funnel, 7-day window', FIVE_PLAIN_STEPS],
  ['5-step funnel with $pathname filters, 7-day window', FIVE_STEPS]
] as const) {
  const store = engine.getStore()
  const first = time(() => engine.getFunnel(definition))
  const counts = summarizeFunnel(first.value).steps.map((s) => s.count)
  report(
    `${name}: first run`,
    `${seconds(first.ms)} (cold with the store: ${seconds(first.ms + storeBuild.ms)})  counts ${counts.join(' → ')}`
  )
  // Warm: a new computation each time (computeFunnel directly, not the engine's cache of results).
  const figures = warm(() => summarizeFunnel(computeFunnel(db, store, definition)))
  report(
    `${name}: warm`,
    `${seconds(figures.median)} [${seconds(figures.min)} – ${seconds(figures.max)}]`
  )
}

const sessionsFirst = time(() =>
  computeSessionStats(db, engine.getStore(), { definition: { kind: 'session-id' } })
)
report(
  'session stats by $session_id: first run',
  `${seconds(sessionsFirst.ms)}  ${sessionsFirst.value.sessions} sessions, ${sessionsFirst.value.multiDevice.persons} multi-device persons`
)
const sessionsWarm = warm(() =>
  computeSessionStats(db, engine.getStore(), { definition: { kind: 'session-id' } })
)
report(
  'session stats by $session_id: warm',
  `${seconds(sessionsWarm.median)} [${seconds(sessionsWarm.min)} – ${seconds(sessionsWarm.max)}]`
)
const gapWarm = warm(() =>
  computeSessionStats(db, engine.getStore(), { definition: { kind: 'gap', gapMs: 30 * 60_000 } })
)
report(
  'session stats by 30-minute gap: warm',
  `${seconds(gapWarm.median)} [${seconds(gapWarm.min)} – ${seconds(gapWarm.max)}]`
)
db.close()
