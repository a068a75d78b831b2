import { beforeEach, describe, expect, it } from 'vitest'
import type { FunnelDefinition } from '@shared/analytics'
import type { WritableDb } from '../db/types'
import {
  insertEvents,
  insertException,
  insertPerson,
  insertRecording,
  type EventSpec
} from '../test/analytics-builders'
import { createTestDb } from '../test/test-db'
import { loadEventStore } from './event-store'
import { findFunnelIssues } from './funnel-issues'
import {
  computeFunnel,
  listFunnelPersons,
  matchesFilter,
  selectFunnelPersons,
  summarizeFunnel
} from './funnels'

const MINUTE = 60_000
const T0 = Date.UTC(2026, 9, 12, 8, 0, 0)

function funnel(db: WritableDb, definition: FunnelDefinition) {
  const computation = computeFunnel(db, loadEventStore(db), definition)
  return { computation, result: summarizeFunnel(computation) }
}

function counts(db: WritableDb, definition: FunnelDefinition): number[] {
  return funnel(db, definition).result.steps.map((step) => step.count)
}

const ABC: FunnelDefinition = {
  steps: [{ event: 'a' }, { event: 'b' }, { event: 'c' }],
  windowMs: 10 * MINUTE
}

function ev(
  distinctId: string,
  event: string,
  minutes: number,
  extra: Partial<EventSpec> = {}
): EventSpec {
  return { event, distinctId, timestampMs: T0 + minutes * MINUTE, ...extra }
}

describe('funnels', () => {
  let db: WritableDb
  beforeEach(() => {
    db = createTestDb()
  })

  it('counts a person once per step, whatever order the rows were stored in', () => {
    insertEvents(db, [
      ev('p1', 'c', 3),
      ev('p1', 'b', 2),
      ev('p1', 'a', 1),
      ev('p2', 'b', 1),
      ev('p2', 'a', 2)
    ])
    expect(counts(db, ABC)).toEqual([2, 1, 1])
  })

  it('counts a repeated step once and keeps the progress made before a later step-1 event', () => {
    insertEvents(db, [
      ev('p1', 'a', 0),
      ev('p1', 'a', 1),
      ev('p1', 'b', 2),
      ev('p1', 'a', 3),
      ev('p1', 'b', 4)
    ])
    expect(counts(db, ABC)).toEqual([1, 1, 0])
  })

  it('restarts from a later step-1 event only where that lets the person get further', () => {
    // First attempt (0) reaches b at 5 but c at 14 is outside its window; the attempt started at 8 converts at 17.
    insertEvents(db, [
      ev('p1', 'a', 0),
      ev('p1', 'b', 5),
      ev('p1', 'a', 8),
      ev('p1', 'c', 14),
      ev('p1', 'b', 15),
      ev('p1', 'c', 17)
    ])
    expect(counts(db, ABC)).toEqual([1, 1, 1])
    // Without the second b, the later a cannot help: c at 14 is 14 minutes after the attempt that reached b.
    const other = createTestDb()
    insertEvents(other, [ev('p1', 'a', 0), ev('p1', 'b', 5), ev('p1', 'a', 8), ev('p1', 'c', 14)])
    expect(counts(other, ABC)).toEqual([1, 1, 0])
  })

  it('counts a conversion exactly at the window edge, and not one millisecond later', () => {
    insertEvents(db, [
      ev('edge', 'a', 0),
      ev('edge', 'b', 4),
      { event: 'c', distinctId: 'edge', timestampMs: T0 + 10 * MINUTE },
      ev('late', 'a', 0),
      ev('late', 'b', 4),
      { event: 'c', distinctId: 'late', timestampMs: T0 + 10 * MINUTE + 1 }
    ])
    const { computation } = funnel(db, ABC)
    expect(summarizeFunnel(computation).steps.map((s) => s.count)).toEqual([2, 2, 1])
    expect(computation.store.personKeys.filter((_, p) => computation.run.level[p] === 2)).toEqual([
      'edge'
    ])
  })

  it('merges the distinct ids of one person and counts an anonymous visitor as its own person', () => {
    insertPerson(db, {
      id: 'person-1',
      distinctIds: ['anon-1', 'ada@example.org'],
      email: 'ada@example.org'
    })
    insertEvents(db, [
      ev('anon-1', 'a', 0),
      ev('ada@example.org', 'b', 1),
      ev('ada@example.org', 'c', 2),
      ev('anon-2', 'a', 0),
      ev('anon-2', 'b', 1)
    ])
    const { computation, result } = funnel(db, ABC)
    expect(result.steps.map((s) => s.count)).toEqual([2, 2, 1])
    expect(computation.store.personKeys).toEqual(['anon-2', 'person-1'])
  })

  it('uses the person id an export carries before the distinct id mapping', () => {
    insertEvents(db, [
      ev('d1', 'a', 0, { personId: 'x' }),
      ev('d2', 'b', 1, { personId: 'x' }),
      ev('d3', 'c', 2)
    ])
    expect(counts(db, ABC)).toEqual([1, 1, 0])
  })

  it('treats events with the same timestamp as simultaneous, but never lets one event fill two steps', () => {
    insertEvents(db, [ev('p1', 'b', 1), ev('p1', 'a', 1), ev('p1', 'c', 2)])
    const twoStepsOneEvent: FunnelDefinition = {
      steps: [
        { event: '$pageview' },
        {
          event: '$pageview',
          filters: [{ property: '$pathname', operator: 'starts-with', value: '/product/' }]
        }
      ],
      windowMs: MINUTE
    }
    insertEvents(db, [
      ev('p2', '$pageview', 0, { properties: { $pathname: '/product/mug' } }),
      ev('p3', '$pageview', 0, { properties: { $pathname: '/' } }),
      ev('p3', '$pageview', 0.5, { properties: { $pathname: '/product/mug' } })
    ])
    expect(counts(db, ABC)).toEqual([1, 1, 1])
    expect(counts(db, twoStepsOneEvent)).toEqual([2, 1])
  })

  it('in strict order, breaks an attempt on any other event in between', () => {
    insertEvents(db, [
      ev('p1', 'a', 0),
      ev('p1', 'x', 1),
      ev('p1', 'b', 2),
      ev('p2', 'a', 0),
      ev('p2', 'b', 1),
      ev('p2', 'x', 2)
    ])
    const strict: FunnelDefinition = {
      steps: [{ event: 'a' }, { event: 'b' }],
      windowMs: 10 * MINUTE,
      order: 'strict'
    }
    expect(counts(db, strict)).toEqual([2, 1])
    expect(counts(db, { ...strict, order: 'ordered' })).toEqual([2, 2])
  })

  it('applies property filters and reports conversion and median time to convert', () => {
    insertEvents(db, [
      ev('p1', '$pageview', 0, { properties: { $pathname: '/' } }),
      ev('p1', 'added_to_cart', 2),
      ev('p2', '$pageview', 0, { properties: { $pathname: '/' } }),
      ev('p2', 'added_to_cart', 6),
      ev('p3', '$pageview', 0, { properties: { $pathname: '/about' } }),
      ev('p3', 'added_to_cart', 1),
      ev('p4', '$pageview', 0, { properties: { $pathname: '/' } })
    ])
    const { result } = funnel(db, {
      steps: [
        {
          event: '$pageview',
          filters: [{ property: '$pathname', operator: 'equals', value: '/' }]
        },
        { event: 'added_to_cart' }
      ],
      windowMs: 10 * MINUTE
    })
    expect(
      result.steps.map((s) => [s.count, s.conversionFromPrevious, s.medianSecondsToConvert])
    ).toEqual([
      [3, 1, null],
      [2, 2 / 3, 240]
    ])
    expect(result.steps[1].droppedFromPrevious).toBe(1)
  })

  it('compares property values as PostHog does', () => {
    expect(matchesFilter('/Cart', { property: 'p', operator: 'contains', value: 'cart' })).toBe(
      true
    )
    expect(matchesFilter('/Cart', { property: 'p', operator: 'equals', value: '/cart' })).toBe(
      false
    )
    expect(matchesFilter(null, { property: 'p', operator: 'not-equals', value: 'x' })).toBe(true)
    expect(matchesFilter(null, { property: 'p', operator: 'starts-with', value: '' })).toBe(false)
    expect(matchesFilter('true', { property: 'p', operator: 'equals', value: 'true' })).toBe(true)
  })

  it('breaks down by the property of the first step-1 event', () => {
    insertEvents(db, [
      ev('p1', 'a', 0, { properties: { $browser: 'Chrome' } }),
      ev('p1', 'a', 1, { properties: { $browser: 'Firefox' } }),
      ev('p1', 'b', 2),
      ev('p2', 'a', 0, { properties: { $browser: 'Firefox' } }),
      ev('p3', 'a', 0)
    ])
    const { result } = funnel(db, { ...ABC, breakdown: { source: 'event', property: '$browser' } })
    expect(result.breakdowns.map((b) => [b.value, b.steps.map((s) => s.count)])).toEqual([
      ['Chrome', [1, 1, 0]],
      ['Firefox', [1, 0, 0]],
      [null, [1, 0, 0]]
    ])
  })

  it('lists the persons who dropped off with their recordings, opening at the last completed step', () => {
    insertPerson(db, { id: 'person-1', distinctIds: ['anon-1'], email: 'ada@example.org' })
    insertEvents(db, [
      ev('anon-1', 'a', 0, { sessionId: 's1' }),
      ev('anon-1', 'b', 3, { sessionId: 's1' }),
      ev('anon-2', 'a', 0, { sessionId: 's2' }),
      ev('anon-2', 'b', 1, { sessionId: 's2' }),
      ev('anon-2', 'c', 2, { sessionId: 's2' })
    ])
    insertRecording(db, {
      id: 's1',
      personId: 'person-1',
      startMs: T0 - MINUTE,
      endMs: T0 + 5 * MINUTE
    })
    insertRecording(db, {
      id: 'other',
      personId: 'person-1',
      startMs: T0 + 4 * MINUTE,
      endMs: T0 + 6 * MINUTE
    })
    insertRecording(db, {
      id: 'later',
      personId: 'person-1',
      startMs: T0 + 60 * MINUTE,
      endMs: T0 + 61 * MINUTE
    })
    const { computation } = funnel(db, ABC)
    const dropped = listFunnelPersons(db, computation, {
      definition: ABC,
      stepIndex: 1,
      outcome: 'dropped'
    })
    expect(dropped.total).toBe(1)
    expect(dropped.persons[0]).toMatchObject({
      personId: 'person-1',
      email: 'ada@example.org',
      lastStepIndex: 1,
      lastStepAtMs: T0 + 3 * MINUTE,
      attemptStartedAtMs: T0
    })
    expect(
      dropped.persons[0].recordings.map((r) => [r.recordingId, r.openAtSeconds, r.holdsLastStep])
    ).toEqual([
      ['s1', 240, true],
      ['other', 0, false]
    ])
    const converted = listFunnelPersons(db, computation, {
      definition: ABC,
      stepIndex: 1,
      outcome: 'converted'
    })
    expect(converted.persons.map((p) => p.personId)).toEqual(['anon-2'])
    expect(selectFunnelPersons(computation, 0, 'dropped')).toEqual([])
  })

  it('gives an exception seen only in dropped-off sessions a lift above 1, however few converted', () => {
    const events: EventSpec[] = []
    for (let i = 0; i < 8; i++) {
      const person = i < 3 ? `conv-${i}` : `drop-${i}`
      const steps = i < 3 ? ['a', 'b', 'c'] : ['a', 'b']
      steps.forEach((step, minute) =>
        events.push(ev(person, step, minute, { sessionId: `s-${person}` }))
      )
    }
    insertEvents(db, events)
    insertException(db, {
      sessionId: 's-drop-3',
      timestampMs: T0 + 90_000,
      type: 'Error',
      message: 'only when dropping',
      issueId: 'only-dropped'
    })
    const { computation } = funnel(db, ABC)
    const issues = findFunnelIssues(db, computation, 1)
    expect([issues.droppedSessionsTotal, issues.convertedSessionsTotal]).toEqual([5, 3])
    expect(issues.issues.map((i) => [i.key, i.droppedSessions, i.convertedSessions])).toEqual([
      ['only-dropped', 1, 0]
    ])
    expect(issues.issues[0].lift).toBeGreaterThan(1)
  })

  it('ranks exceptions over-represented among the sessions that dropped off', () => {
    const events: EventSpec[] = []
    for (let i = 0; i < 4; i++) {
      events.push(
        ev(`drop-${i}`, 'a', 0, { sessionId: `sd${i}` }),
        ev(`drop-${i}`, 'b', 1, { sessionId: `sd${i}` })
      )
      events.push(
        ev(`conv-${i}`, 'a', 0, { sessionId: `sc${i}` }),
        ev(`conv-${i}`, 'b', 1, { sessionId: `sc${i}` })
      )
      events.push(ev(`conv-${i}`, 'c', 2, { sessionId: `sc${i}` }))
    }
    insertEvents(db, events)
    insertRecording(db, { id: 'sd0', personId: 'drop-0', startMs: T0, endMs: T0 + 5 * MINUTE })
    for (const session of ['sd0', 'sd1', 'sd2']) {
      insertException(db, {
        sessionId: session,
        timestampMs: T0 + 90_000,
        type: 'TypeError',
        message: 'boom',
        issueId: 'i1'
      })
    }
    for (const session of ['sd0', 'sc0', 'sc1']) {
      insertException(db, {
        sessionId: session,
        timestampMs: T0 + 30_000,
        type: 'Error',
        message: 'noise',
        issueId: 'i2'
      })
    }
    const { computation } = funnel(db, ABC)
    const issues = findFunnelIssues(db, computation, 1)
    expect(issues.droppedSessionsTotal).toBe(4)
    expect(issues.convertedSessionsTotal).toBe(4)
    expect(issues.issues.map((i) => [i.key, i.droppedSessions, i.convertedSessions])).toEqual([
      ['i1', 3, 0],
      ['i2', 1, 2]
    ])
    expect(issues.issues[0].lift).toBeCloseTo((3 + 1) / (4 + 1) / (1 / 5))
    expect(issues.issues[1].lift).toBeCloseTo((1 + 1) / (4 + 1) / ((2 + 1) / (4 + 1)))
    expect(issues.issues[0].recordings).toEqual([
      { recordingId: 'sd0', openAtSeconds: 90, personId: 'drop-0' }
    ])
  })
})
