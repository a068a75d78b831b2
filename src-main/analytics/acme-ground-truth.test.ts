import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FunnelDefinition, FunnelStep } from '@shared/analytics'
import { openDatabase } from '../db/open-database'
import type { WritableDb } from '../db/types'
import { importPaths } from '../ingest/import-service'
import { createTempDir, fixturePath } from '../test/test-db'
import { loadEventStore, type EventStore } from './event-store'
import { computeFunnel, listFunnelPersons, selectFunnelPersons, summarizeFunnel } from './funnels'
import { listPersons } from './persons'
import { computeSessionStats } from './sessions'

type GroundTruthStep = { event: string; where?: string; count: number }
type GroundTruthFunnel = {
  window: string
  counts: GroundTruthStep[]
  dropoffs?: { after_step: number; persons: { person_id: string; email: string | null }[] }[]
  completed_persons?: string[]
}
type Manifest = {
  ground_truth: {
    funnels: GroundTruthFunnel[]
    funnels_14d_window: GroundTruthFunnel[]
    multi_device_persons: { person_id: string; email: string | null; devices: number }[]
  }
  recordings: { session_id: string; person_id: string }[]
  counts: {
    sessions_with_events: number
    persons_identified: number
    anonymous_visitors: number
    multi_device_persons: number
  }
}

const ACME = fixturePath('acme-small')
const manifest = JSON.parse(readFileSync(join(ACME, 'MANIFEST.json'), 'utf8')) as Manifest

/** Turns the manifest's step description (`$pathname == "/"`, `$pathname starts with "/product/"`) into a step. */
function stepFromManifest(step: GroundTruthStep): FunnelStep {
  if (!step.where) return { event: step.event }
  const equals = /^(\S+) == "(.*)"$/.exec(step.where)
  if (equals)
    return {
      event: step.event,
      filters: [{ property: equals[1], operator: 'equals', value: equals[2] }]
    }
  const prefix = /^(\S+) starts with "(.*)"$/.exec(step.where)
  if (prefix)
    return {
      event: step.event,
      filters: [{ property: prefix[1], operator: 'starts-with', value: prefix[2] }]
    }
  throw new Error(`unknown step condition ${step.where}`)
}

function windowMsFromManifest(window: string): number {
  const match = /^(\d+)d/.exec(window)
  if (!match) throw new Error(`unknown window ${window}`)
  return Number(match[1]) * 86_400_000
}

function definitionFromManifest(funnel: GroundTruthFunnel): FunnelDefinition {
  return {
    steps: funnel.counts.map(stepFromManifest),
    windowMs: windowMsFromManifest(funnel.window)
  }
}

let temp: ReturnType<typeof createTempDir>
let db: WritableDb
let store: EventStore

beforeAll(async () => {
  temp = createTempDir()
  db = openDatabase(join(temp.dir, 'cache.sqlite'))
  const summary = await importPaths(db, [ACME], { workers: 0 })
  expect(summary.outcomes.filter((o) => o.status === 'failed')).toEqual([])
  store = loadEventStore(db)
})

afterAll(() => {
  db.close()
  temp.cleanup()
})

describe('acme-small ground truth', () => {
  it('gives the funnel counts, drop-off persons and completed persons of the manifest (1-day window)', () => {
    const truth = manifest.ground_truth.funnels[0]
    const definition = definitionFromManifest(truth)
    const computation = computeFunnel(db, store, definition)
    expect(summarizeFunnel(computation).steps.map((s) => s.count)).toEqual(
      truth.counts.map((c) => c.count)
    )
    for (const dropoff of truth.dropoffs ?? []) {
      const page = listFunnelPersons(db, computation, {
        definition,
        stepIndex: dropoff.after_step - 1,
        outcome: 'dropped',
        limit: 1000
      })
      expect(page.persons.map((p) => ({ person_id: p.personId, email: p.email }))).toEqual(
        [...dropoff.persons].sort((a, b) => (a.person_id < b.person_id ? -1 : 1))
      )
    }
    const completed = selectFunnelPersons(
      computation,
      definition.steps.length - 2,
      'converted'
    ).map((p) => store.personKeys[p])
    expect(completed).toEqual([...(truth.completed_persons ?? [])].sort())
  })

  it('gives the counts of the 14-day window', () => {
    const truth = manifest.ground_truth.funnels_14d_window[0]
    const computation = computeFunnel(db, store, definitionFromManifest(truth))
    expect(summarizeFunnel(computation).steps.map((s) => s.count)).toEqual(
      truth.counts.map((c) => c.count)
    )
  })

  it('opens every drop-off at a recording of that person, at the time of the last completed step', () => {
    const truth = manifest.ground_truth.funnels[0]
    const definition = definitionFromManifest(truth)
    const computation = computeFunnel(db, store, definition)
    const recordingPerson = new Map(manifest.recordings.map((r) => [r.session_id, r.person_id]))
    let opened = 0
    for (let step = 0; step < definition.steps.length - 1; step++) {
      const page = listFunnelPersons(db, computation, {
        definition,
        stepIndex: step,
        outcome: 'dropped',
        limit: 1000
      })
      for (const person of page.persons) {
        const first = person.recordings[0]
        if (!first) continue
        expect(recordingPerson.get(first.recordingId)).toBe(person.personId)
        if (first.holdsLastStep) {
          // The step's event can land a moment after the recording's last frame: the player opens at its end then.
          const expectedMs = Math.min(
            Math.max(0, person.lastStepAtMs - first.startedAtMs),
            first.durationMs
          )
          expect(first.openAtSeconds * 1000).toBeCloseTo(expectedMs, 0)
          expect(Math.abs(first.startedAtMs + expectedMs - person.lastStepAtMs)).toBeLessThan(5000)
          opened++
        }
      }
    }
    expect(opened).toBeGreaterThan(10)
  })

  it('gives the sessions and multi-device persons of the manifest', () => {
    const stats = computeSessionStats(db, store, { definition: { kind: 'session-id' } })
    expect(stats.sessions).toBe(manifest.counts.sessions_with_events)
    expect(stats.eventsWithoutSession).toBe(0)
    expect(stats.multiDevice.persons).toBe(manifest.counts.multi_device_persons)
    expect(
      stats.multiDevice.list.map((p) => ({
        person_id: p.personId,
        email: p.email,
        devices: p.devices.length
      }))
    ).toEqual(
      [...manifest.ground_truth.multi_device_persons].sort((a, b) =>
        a.person_id < b.person_id ? -1 : 1
      )
    )
  })

  it('lists every identified person and anonymous visitor', () => {
    const all = listPersons(db, store, { limit: 500 })
    expect(all.total).toBe(manifest.counts.persons_identified + manifest.counts.anonymous_visitors)
    expect(listPersons(db, store, { identified: true }).total).toBe(
      manifest.counts.persons_identified
    )
    const recordingsPerPerson = new Map<string, number>()
    for (const r of manifest.recordings) {
      recordingsPerPerson.set(r.person_id, (recordingsPerPerson.get(r.person_id) ?? 0) + 1)
    }
    expect(
      Object.fromEntries(
        all.persons.filter((p) => p.recordingCount > 0).map((p) => [p.id, p.recordingCount])
      )
    ).toEqual(Object.fromEntries(recordingsPerPerson))
  })
})
