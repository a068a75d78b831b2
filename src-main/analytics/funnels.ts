import type {
  FunnelBreakdownResult,
  FunnelDefinition,
  FunnelPerson,
  FunnelPersonsPage,
  FunnelPersonsQuery,
  FunnelRecordingLink,
  FunnelResult,
  FunnelStepResult,
  PropertyFilter
} from '@shared/analytics'
import type { PersonId, RecordingId } from '@shared/domain'
import { getSessionIdsOfEvents } from '../db/event-queries'
import {
  getPersonProfiles,
  getRecordingSpans,
  listPersonProfiles,
  listPersonRecordingsOverlapping,
  type RecordingSpan
} from '../db/person-queries'
import type { ReadableDb } from '../db/types'
import {
  getPropertyColumn,
  getRowids,
  jsonToText,
  type EventStore,
  type PropertyColumn
} from './event-store'
import { median, runFunnelPass, type FunnelRun } from './funnel-engine'

/** A funnel computed over a store: the per-person outcome that results, drill-downs and issues are read from. */
export type FunnelComputation = {
  definition: FunnelDefinition
  store: EventStore
  run: FunnelRun
  /** Per person: the breakdown value (null when the person has none); null without a breakdown. */
  breakdownOf: (string | null)[] | null
  elapsedMs: number
}

type FilterTest = { valueOf: Int32Array; passes: Uint8Array; absentPasses: boolean }
type FilteredStep = { bit: number; tests: FilterTest[] }

/** Throws on a definition the engine cannot run (the API validates first; this guards the CLI and tests). */
export function assertFunnelDefinition(definition: FunnelDefinition): void {
  if (definition.steps.length < 2 || definition.steps.length > 10) {
    throw new Error(`a funnel has 2 to 10 steps, got ${definition.steps.length}`)
  }
  if (!(definition.windowMs > 0)) throw new Error('the conversion window must be positive')
}

/**
 * Runs a funnel: for every person, the furthest step reached (see funnel-engine.ts for the exact semantics).
 *
 * Reads property columns for steps with filters (cached in the store), then makes one pass over the store.
 */
export function computeFunnel(
  db: ReadableDb,
  store: EventStore,
  definition: FunnelDefinition
): FunnelComputation {
  assertFunnelDefinition(definition)
  const startedAt = performance.now()
  const stepMask = compileStepMask(db, store, definition)
  const run = runFunnelPass({
    stepCount: definition.steps.length,
    windowMs: definition.windowMs,
    strict: definition.order === 'strict',
    personStart: store.personStart,
    timestampMs: store.timestampMs,
    stepMask,
    fromMs: definition.fromMs,
    toMs: definition.toMs
  })
  const breakdownOf = computeBreakdownValues(db, store, definition, run)
  return { definition, store, run, breakdownOf, elapsedMs: performance.now() - startedAt }
}

function compileStepMask(
  db: ReadableDb,
  store: EventStore,
  definition: FunnelDefinition
): (position: number) => number {
  const codes = store.eventNames.length
  const baseMask = new Int32Array(codes)
  const filteredByCode: (FilteredStep[] | undefined)[] = new Array(codes)
  definition.steps.forEach((step, s) => {
    const code = store.codeByName.get(step.event)
    if (code === undefined) return
    const filters = step.filters ?? []
    if (filters.length === 0) {
      baseMask[code] |= 1 << s
      return
    }
    const tests = filters.map((filter) =>
      compileFilter(getPropertyColumn(db, store, step.event, filter.property), filter)
    )
    ;(filteredByCode[code] ??= []).push({ bit: 1 << s, tests })
  })
  const eventCode = store.eventCode
  return (position) => {
    const code = eventCode[position]
    let mask = baseMask[code]
    const filtered = filteredByCode[code]
    if (filtered !== undefined) {
      for (let f = 0; f < filtered.length; f++) {
        const tests = filtered[f].tests
        let ok = true
        for (let t = 0; t < tests.length && ok; t++) {
          const value = tests[t].valueOf[position]
          ok = value < 0 ? tests[t].absentPasses : tests[t].passes[value] === 1
        }
        if (ok) mask |= filtered[f].bit
      }
    }
    return mask
  }
}

function compileFilter(column: PropertyColumn, filter: PropertyFilter): FilterTest {
  const passes = new Uint8Array(column.values.length)
  column.values.forEach((value, i) => {
    passes[i] = matchesFilter(value, filter) ? 1 : 0
  })
  return { valueOf: column.valueOf, passes, absentPasses: matchesFilter(null, filter) }
}

/**
 * Whether a property value (as text; null when absent) passes a filter.
 *
 * `equals`, `not-equals` and `starts-with` are case-sensitive; `contains` and `not-contains` are not (PostHog's
 * `icontains`). An absent property fails every positive test and passes the negative ones.
 */
export function matchesFilter(value: string | null, filter: PropertyFilter): boolean {
  const expected = filter.value ?? ''
  switch (filter.operator) {
    case 'is-set':
      return value !== null
    case 'is-not-set':
      return value === null
    case 'equals':
      return value !== null && value === expected
    case 'not-equals':
      return value === null || value !== expected
    case 'starts-with':
      return value !== null && value.startsWith(expected)
    case 'contains':
      return value !== null && value.toLowerCase().includes(expected.toLowerCase())
    case 'not-contains':
      return value === null || !value.toLowerCase().includes(expected.toLowerCase())
  }
}

function computeBreakdownValues(
  db: ReadableDb,
  store: EventStore,
  definition: FunnelDefinition,
  run: FunnelRun
): (string | null)[] | null {
  const breakdown = definition.breakdown
  if (!breakdown) return null
  const persons = store.personKeys.length
  const values: (string | null)[] = new Array(persons).fill(null)
  if (breakdown.source === 'event') {
    const column = getPropertyColumn(db, store, definition.steps[0].event, breakdown.property)
    for (let p = 0; p < persons; p++) {
      const position = run.firstStepPosition[p]
      if (position < 0) continue
      const value = column.valueOf[position]
      values[p] = value < 0 ? null : column.values[value]
    }
  } else {
    const profiles = listPersonProfiles(db)
    for (let p = 0; p < persons; p++) {
      if (run.level[p] < 0) continue
      const raw = profiles.get(store.personKeys[p])?.properties[breakdown.property]
      values[p] =
        raw === undefined || raw === null
          ? null
          : typeof raw === 'string'
            ? raw
            : jsonToText(JSON.stringify(raw))
    }
  }
  return values
}

/** Counts, conversion and time to convert per step (and per breakdown value). */
export function summarizeFunnel(computation: FunnelComputation): FunnelResult {
  const { run, definition, store } = computation
  const all = summarizeSteps(computation, () => true)
  const breakdowns: FunnelBreakdownResult[] = []
  if (computation.breakdownOf) {
    const breakdownOf = computation.breakdownOf
    const values = new Map<string | null, number>()
    for (let p = 0; p < run.level.length; p++) {
      if (run.level[p] < 0) continue
      values.set(breakdownOf[p], (values.get(breakdownOf[p]) ?? 0) + 1)
    }
    const ordered = [...values.entries()].sort((a, b) => b[1] - a[1] || compareNullable(a[0], b[0]))
    for (const [value] of ordered) {
      breakdowns.push({
        value,
        steps: summarizeSteps(computation, (p) => breakdownOf[p] === value)
      })
    }
  }
  let personsConsidered = 0
  for (let p = 0; p < store.personKeys.length; p++) {
    if (hasEventInRange(store, p, definition.fromMs, definition.toMs)) personsConsidered++
  }
  return {
    steps: all,
    breakdowns,
    personsConsidered,
    eventsScanned: run.eventsScanned,
    computedInMs: Math.round(computation.elapsedMs)
  }
}

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

function hasEventInRange(store: EventStore, p: number, fromMs?: number, toMs?: number): boolean {
  const start = store.personStart[p]
  const end = store.personStart[p + 1]
  if (start === end) return false
  if (fromMs === undefined && toMs === undefined) return true
  for (let i = start; i < end; i++) {
    const t = store.timestampMs[i]
    if ((fromMs === undefined || t >= fromMs) && (toMs === undefined || t <= toMs)) return true
  }
  return false
}

function summarizeSteps(
  computation: FunnelComputation,
  include: (person: number) => boolean
): FunnelStepResult[] {
  const { run, definition, store } = computation
  const L = definition.steps.length
  const counts = new Array<number>(L).fill(0)
  const durations: number[][] = Array.from({ length: L }, () => [])
  for (let p = 0; p < run.level.length; p++) {
    const level = run.level[p]
    if (level < 0 || !include(p)) continue
    for (let s = 0; s <= level; s++) {
      counts[s]++
      if (s > 0) {
        const from = store.timestampMs[run.chain[p * L + s - 1]]
        const to = store.timestampMs[run.chain[p * L + s]]
        durations[s].push((to - from) / 1000)
      }
    }
  }
  return definition.steps.map((step, s) => {
    const previous = s === 0 ? counts[0] : counts[s - 1]
    const total = durations[s].reduce((sum, d) => sum + d, 0)
    return {
      index: s,
      event: step.event,
      label: step.label ?? describeStep(step.event, step.filters),
      count: counts[s],
      conversionFromPrevious:
        s === 0 ? (counts[0] > 0 ? 1 : 0) : previous > 0 ? counts[s] / previous : 0,
      conversionFromFirst: counts[0] > 0 ? counts[s] / counts[0] : 0,
      droppedFromPrevious: s === 0 ? 0 : previous - counts[s],
      medianSecondsToConvert: s === 0 ? null : median(durations[s]),
      averageSecondsToConvert:
        s === 0 || durations[s].length === 0 ? null : total / durations[s].length
    }
  })
}

/** A readable label for a step: `$pageview ($pathname = /)`. */
export function describeStep(event: string, filters: PropertyFilter[] = []): string {
  if (filters.length === 0) return event
  const symbols: Record<PropertyFilter['operator'], string> = {
    equals: '=',
    'not-equals': '≠',
    'starts-with': 'starts with',
    contains: 'contains',
    'not-contains': 'does not contain',
    'is-set': 'is set',
    'is-not-set': 'is not set'
  }
  const parts = filters.map((f) =>
    f.operator === 'is-set' || f.operator === 'is-not-set'
      ? `${f.property} ${symbols[f.operator]}`
      : `${f.property} ${symbols[f.operator]} ${f.value ?? ''}`
  )
  return `${event} (${parts.join(', ')})`
}

/** Person indexes (store order, i.e. by person id) matching a drill-down. */
export function selectFunnelPersons(
  computation: FunnelComputation,
  stepIndex: number,
  outcome: 'dropped' | 'converted',
  breakdownValue?: string | null
): number[] {
  const { run, breakdownOf } = computation
  const result: number[] = []
  for (let p = 0; p < run.level.length; p++) {
    const level = run.level[p]
    const matches = outcome === 'dropped' ? level === stepIndex : level >= stepIndex + 1
    if (!matches) continue
    if (breakdownValue !== undefined && breakdownOf && breakdownOf[p] !== breakdownValue) continue
    result.push(p)
  }
  return result
}

/** The persons behind one bar of the funnel, with their recordings, by person id. */
export function listFunnelPersons(
  db: ReadableDb,
  computation: FunnelComputation,
  query: FunnelPersonsQuery
): FunnelPersonsPage {
  const offset = Math.max(0, query.offset ?? 0)
  const limit = Math.max(1, Math.min(query.limit ?? 50, 1000))
  const selected = selectFunnelPersons(
    computation,
    query.stepIndex,
    query.outcome,
    query.breakdownValue
  )
  return {
    total: selected.length,
    offset,
    persons: describeFunnelPersons(db, computation, selected.slice(offset, offset + limit))
  }
}

/** Email, name, attempt times and matching recordings of the given persons (store indexes). */
export function describeFunnelPersons(
  db: ReadableDb,
  computation: FunnelComputation,
  persons: number[]
): FunnelPerson[] {
  const { run, store, definition } = computation
  const L = definition.steps.length
  const rowids = getRowids(db, store)
  const chainRowids: number[] = []
  for (const p of persons) {
    for (let s = 0; s <= run.level[p]; s++) chainRowids.push(rowids[run.chain[p * L + s]])
  }
  const sessionOfRowid = getSessionIdsOfEvents(db, chainRowids)
  const spans = getRecordingSpans(db, [...new Set(sessionOfRowid.values())])
  const profiles = getPersonProfiles(
    db,
    persons.map((p) => store.personKeys[p])
  )
  return persons.map((p) => {
    const personId = store.personKeys[p]
    const level = run.level[p]
    const attemptStartedAtMs = store.timestampMs[run.chain[p * L]]
    const lastStepAtMs = store.timestampMs[run.chain[p * L + level]]
    const lastSession = sessionOfRowid.get(rowids[run.chain[p * L + level]]) ?? null
    const attemptEndMs = level === L - 1 ? lastStepAtMs : attemptStartedAtMs + definition.windowMs
    const recordings = new Map<string, RecordingSpan>()
    for (let s = 0; s <= level; s++) {
      const session = sessionOfRowid.get(rowids[run.chain[p * L + s]])
      const span = session === undefined ? undefined : spans.get(session)
      if (span) recordings.set(span.id, span)
    }
    for (const span of listPersonRecordingsOverlapping(
      db,
      personId,
      attemptStartedAtMs,
      attemptEndMs
    )) {
      recordings.set(span.id, span)
    }
    const profile = profiles.get(personId)
    return {
      personId: personId as PersonId,
      email: profile?.email ?? null,
      name: profile?.name ?? null,
      lastStepIndex: level,
      lastStepAtMs,
      attemptStartedAtMs,
      recordings: linkRecordings([...recordings.values()], lastSession, lastStepAtMs)
    }
  })
}

/** Orders recordings (the one holding the last step first, then by start) and computes where each opens. */
function linkRecordings(
  spans: RecordingSpan[],
  lastSession: string | null,
  lastStepAtMs: number
): FunnelRecordingLink[] {
  const hasLastSession = lastSession !== null && spans.some((span) => span.id === lastSession)
  const links = spans.map((span) => {
    const within = lastStepAtMs >= span.startMs && lastStepAtMs <= span.endMs
    const holdsLastStep = hasLastSession ? span.id === lastSession : within
    const openAtMs =
      holdsLastStep || within
        ? Math.min(Math.max(0, lastStepAtMs - span.startMs), span.durationMs)
        : 0
    return {
      recordingId: span.id as RecordingId,
      startedAtMs: span.startMs,
      durationMs: span.durationMs,
      openAtSeconds: Math.round(openAtMs) / 1000,
      holdsLastStep
    }
  })
  // Without a recording of the last step's own session, only the first recording spanning its time holds it.
  let seen = false
  for (const link of links.sort(
    (a, b) => Number(b.holdsLastStep) - Number(a.holdsLastStep) || a.startedAtMs - b.startedAtMs
  )) {
    if (link.holdsLastStep && seen) link.holdsLastStep = false
    if (link.holdsLastStep) seen = true
  }
  return links
}
