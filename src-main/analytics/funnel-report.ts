import type { FunnelResult } from '@shared/analytics'
import type { ReadableDb } from '../db/types'
import {
  describeFunnelPersons,
  selectFunnelPersons,
  summarizeFunnel,
  type FunnelComputation
} from './funnels'

/** A person in the CLI report: who, and the recordings to watch (the one holding the last completed step first). */
export type FunnelReportPerson = {
  personId: string
  email: string | null
  recordingIds: string[]
  lastStepAtMs: number
  /** Where to open the first recording: seconds from its start. */
  openAtSeconds: number | null
}

/** What `tapedeck funnel --json` prints. */
export type FunnelReport = {
  steps: {
    event: string
    label: string
    count: number
    conversionFromPrevious: number
    conversionFromFirst: number
    medianSecondsToConvert: number | null
    averageSecondsToConvert: number | null
  }[]
  /** `afterStep` is 1-based: the persons who reached that step but not the next. */
  dropoffs: { afterStep: number; persons: FunnelReportPerson[] }[]
  completedPersons: FunnelReportPerson[]
  breakdowns: FunnelResult['breakdowns']
  windowMs: number
  personsConsidered: number
}

/** Builds the full report of a funnel: every step, every drop-off person and every person who converted. */
export function buildFunnelReport(db: ReadableDb, computation: FunnelComputation): FunnelReport {
  const result = summarizeFunnel(computation)
  const L = computation.definition.steps.length
  const describe = (persons: number[]): FunnelReportPerson[] =>
    describeFunnelPersons(db, computation, persons).map((person) => ({
      personId: person.personId,
      email: person.email,
      recordingIds: person.recordings.map((r) => r.recordingId),
      lastStepAtMs: person.lastStepAtMs,
      openAtSeconds: person.recordings[0]?.openAtSeconds ?? null
    }))
  return {
    steps: result.steps.map((step) => ({
      event: step.event,
      label: step.label,
      count: step.count,
      conversionFromPrevious: step.conversionFromPrevious,
      conversionFromFirst: step.conversionFromFirst,
      medianSecondsToConvert: step.medianSecondsToConvert,
      averageSecondsToConvert: step.averageSecondsToConvert
    })),
    dropoffs: Array.from({ length: L - 1 }, (_, s) => ({
      afterStep: s + 1,
      persons: describe(selectFunnelPersons(computation, s, 'dropped'))
    })),
    completedPersons: describe(selectFunnelPersons(computation, L - 2, 'converted')),
    breakdowns: result.breakdowns,
    windowMs: computation.definition.windowMs,
    personsConsidered: result.personsConsidered
  }
}
