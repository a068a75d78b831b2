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
 *    runs), session statistics by $session_id (first run and warm);
 *  - right after an import (--part after-import runs only this): in a copy of the cache that has its snapshots, a
 *    worker warmed up; a generated JSONL event export of --batch events (default 100k, existing and new persons) is
 *    imported through the real import path; then, as the app does, the warm-up is sent and at once the user's first
 *    query: the 5-step funnel, the 5-step funnel with $pathname filters, or session statistics (one import each),
 *    then the worker restarted after a further import (its store read from the older snapshot) and the filtered
 *    funnel as its first query. The copy grows by the imported batches; delete it to start over.
 *
 * Options: --part all | after-import. The cache is migrated to the current schema first (the snapshot table).
 */
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { join } from 'node:path'
import { openDatabase } from '../src-main/db/open-database'
import { importPaths } from '../src-main/ingest/import-service'
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
    runs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '100000' },
    part: { type: 'string', default: 'all' }
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

if (values.part === 'after-import') {
  await benchAfterImport()
  process.exit(0)
}

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

/**
 * Right after an import: a worker over a copy of the cache with a warm store imports nothing itself; this process
 * imports a generated event export the way the app does (importPaths), then sends the warm-up (import:finished)
 * and immediately the user's first query, timing that query and the whole warm-up.
 */
async function benchAfterImport(): Promise<void> {
  const batch = Number(values.batch)
  const copy = join(
    import.meta.dirname,
    '.data',
    `analytics-after-import-${events}-${persons}.sqlite`
  )
  if (!existsSync(copy)) {
    const copied = time(() => copyFileSync(file, copy))
    report('cache copied for the import runs', `${seconds(copied.ms)} (${copy})`)
  }
  const db = openDatabase(copy)
  db.pragma('cache_size = -262144')
  const exportDir = join(import.meta.dirname, '.data', 'after-import-exports')
  mkdirSync(exportDir, { recursive: true })
  const sample = sampleDistinctIds(db, 20_000)
  // A warm store and its snapshots for the data as it is, as a user who looked at the analytics before importing.
  const primed = await timed(async () => {
    const service = createWorkerAnalyticsService({ dbFile: copy })
    await service.warmUp()
    await service.close()
  })
  report('after-import copy: snapshots of the data before the imports', seconds(primed.ms))

  let serial = 0
  const importBatch = async (): Promise<{ ms: number; cpuSeconds: number }> => {
    serial++
    const path = join(exportDir, `batch-${Date.now()}-${serial}.jsonl`)
    writeFileSync(path, generateEventExport(batch, sample, Date.now() + serial))
    const cpu = process.cpuUsage()
    const imported = await timed(() => importPaths(db, [path]))
    const used = process.cpuUsage(cpu)
    rmSync(path)
    if (imported.value.files.imported !== 1)
      throw new Error('the generated export was not imported')
    return { ms: imported.ms, cpuSeconds: (used.user + used.system) / 1e6 }
  }

  const firstQueries: [string, (service: AnalyticsService) => Promise<unknown>][] = [
    ['5-step funnel', (service) => service.computeFunnel(FIVE_PLAIN_STEPS)],
    ['5-step funnel with $pathname filters', (service) => service.computeFunnel(FIVE_STEPS)],
    ['session stats by $session_id', (service) => service.getSessionStats(bySessionId)]
  ]
  const figures = new Map<string, number[]>()
  const add = (label: string, ms: number) => figures.set(label, [...(figures.get(label) ?? []), ms])
  for (let run = 1; run <= runs; run++) {
    const service = createWorkerAnalyticsService({ dbFile: copy })
    try {
      await service.warmUp()
      for (const [label, query] of firstQueries) {
        const imported = await importBatch()
        // import:finished: the app sends the warm-up; the user asks at once.
        const started = performance.now()
        // CPU of the whole process: this thread waits, so it is about the worker's (and V8's helper threads').
        const cpu = process.cpuUsage()
        const warmUp = service.warmUp().then(() => performance.now() - started)
        const first = await timed(() => query(service))
        const used = process.cpuUsage(cpu)
        const warmUpMs = await warmUp
        const after = await timed(() => query(service))
        add(label, first.ms)
        add(`${label}: warm-up`, warmUpMs)
        report(
          `after an import (#${run}): ${label}, first query`,
          `${seconds(first.ms)}, ${((used.user + used.system) / 1e6).toFixed(2)} CPU s  (warm-up ${seconds(warmUpMs)}, then again ${seconds(after.ms)}; ` +
            `import of ${batch.toLocaleString('en')} events ${seconds(imported.ms)}, ${imported.cpuSeconds.toFixed(1)} CPU s, load ${loadavg()[0].toFixed(1)})`
        )
      }
    } finally {
      await service.close()
    }
    // The app restarted after an import: no store in memory, the snapshots of the data before it.
    await importBatch()
    const restarted = createWorkerAnalyticsService({ dbFile: copy })
    try {
      const first = await timed(() => restarted.computeFunnel(FIVE_STEPS))
      add('restarted', first.ms)
      report(
        `after an import, worker restarted (#${run}): filtered 5-step funnel, first query`,
        `${seconds(first.ms)}  counts ${funnelCounts(first.value)}`
      )
    } finally {
      await restarted.close()
    }
  }
  for (const [label, list] of figures) {
    report(
      `after an import, ${label}: median [min – max] of ${list.length}`,
      `${seconds(median(list))} [${seconds(Math.min(...list))} – ${seconds(Math.max(...list))}]`
    )
  }
  const total = db.prepare(`SELECT max(rowid) FROM events`).pluck().get() as number
  report('after-import copy: events now', total.toLocaleString('en'))
  db.close()
}

/** Distinct ids of existing events, read by random rowids (no scan of the table). */
function sampleDistinctIds(db: ReadableDb, count: number): string[] {
  const max = db.prepare(`SELECT max(rowid) FROM events`).pluck().get() as number
  const ids = Array.from({ length: count }, () => 1 + Math.floor(Math.random() * max))
  return db
    .prepare(`SELECT DISTINCT e.distinct_id FROM json_each(?) j JOIN events e ON e.rowid = j.value`)
    .pluck()
    .all(JSON.stringify(ids)) as string[]
}

/**
 * A PostHog JSONL event export of `count` events: sessions of 2–12 events that walk the shop, three in four by
 * a known distinct id (existing persons), the rest by new anonymous visitors, over the last 30 days.
 */
function generateEventExport(count: number, distinctIds: readonly string[], seed: number): string {
  const walk = FIVE_PLAIN_STEPS.steps.map((step) => step.event)
  let state = seed >>> 0
  const next = () => {
    state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x9e3779b9) >>> 0
    return state / 4294967296
  }
  const lines: string[] = []
  const endMs = Date.UTC(2026, 10, 1)
  while (lines.length < count) {
    const distinctId =
      next() < 0.75
        ? distinctIds[Math.floor(next() * distinctIds.length)]
        : `anon-${seed}-${lines.length}`
    const sessionId = randomUUID()
    const device =
      next() < 0.5 ? ['Desktop', 'Chrome', 'Windows'] : ['Mobile', 'Mobile Safari', 'iOS']
    let t = endMs - Math.floor(next() * 30 * DAY_MS)
    const size = Math.min(count - lines.length, 2 + Math.floor(next() * 11))
    for (let i = 0; i < size; i++) {
      const step = Math.min(walk.length - 1, Math.floor(next() * (i + 1)))
      const pathname =
        step === 0 ? (next() < 0.5 ? '/' : '/about') : `/product/item-${Math.floor(next() * 40)}`
      t += 1000 + Math.floor(next() * 60_000)
      lines.push(
        JSON.stringify({
          uuid: randomUUID(),
          event: walk[step],
          distinct_id: distinctId,
          timestamp: new Date(t).toISOString(),
          properties: {
            $session_id: sessionId,
            $current_url: `https://shop.example.test${pathname}`,
            $host: 'shop.example.test',
            $pathname: pathname,
            $device_type: device[0],
            $browser: device[1],
            $os: device[2],
            $lib: 'web'
          }
        })
      )
    }
  }
  return lines.join('\n') + '\n'
}
