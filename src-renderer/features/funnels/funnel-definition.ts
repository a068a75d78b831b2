/**
 * A funnel definition as it lives in the URL (`#/funnels?f=<json>`), the editor's draft, and their conversions.
 * Pure functions.
 */
import type { FunnelDefinition, FunnelStep, PropertyFilter } from '@shared/analytics'

export type WindowUnit = 'minutes' | 'hours' | 'days'

export const UNIT_MS: Record<WindowUnit, number> = {
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000
}

/** What the editor holds: steps with their filters, the window as a number and a unit, order, breakdown. */
export type FunnelDraft = {
  steps: FunnelStep[]
  windowValue: number
  windowUnit: WindowUnit
  order: 'ordered' | 'strict'
  breakdownSource: 'none' | 'event' | 'person'
  breakdownProperty: string
}

export const EMPTY_STEP: FunnelStep = { event: '' }

export const DEFAULT_DRAFT: FunnelDraft = {
  steps: [{ event: '' }, { event: '' }],
  windowValue: 1,
  windowUnit: 'days',
  order: 'ordered',
  breakdownSource: 'none',
  breakdownProperty: ''
}

/** The draft as a definition; null while it cannot run (fewer than 2 named steps, bad window, 10+ steps). */
export function draftToDefinition(draft: FunnelDraft): FunnelDefinition | null {
  const steps = draft.steps.map((step) => ({
    event: step.event.trim(),
    ...(step.label ? { label: step.label } : {}),
    ...(step.filters && step.filters.length > 0
      ? { filters: step.filters.filter((f) => f.property.trim() !== '').map(cleanFilter) }
      : {})
  }))
  if (steps.length < 2 || steps.length > 10 || steps.some((s) => s.event === '')) return null
  const windowMs = Math.round(draft.windowValue * UNIT_MS[draft.windowUnit])
  if (!Number.isFinite(windowMs) || windowMs < 1000) return null
  const breakdown =
    draft.breakdownSource !== 'none' && draft.breakdownProperty.trim() !== ''
      ? { source: draft.breakdownSource, property: draft.breakdownProperty.trim() }
      : null
  return {
    steps: steps.map((s) => (s.filters && s.filters.length === 0 ? { event: s.event } : s)),
    windowMs,
    ...(draft.order === 'strict' ? { order: 'strict' as const } : {}),
    ...(breakdown ? { breakdown } : {})
  }
}

function cleanFilter(filter: PropertyFilter): PropertyFilter {
  const property = filter.property.trim()
  return filter.operator === 'is-set' || filter.operator === 'is-not-set'
    ? { property, operator: filter.operator }
    : { property, operator: filter.operator, value: filter.value ?? '' }
}

/** The editor's draft for a definition (the window in the largest unit that divides it). */
export function definitionToDraft(definition: FunnelDefinition): FunnelDraft {
  const unit: WindowUnit =
    definition.windowMs % UNIT_MS.days === 0
      ? 'days'
      : definition.windowMs % UNIT_MS.hours === 0
        ? 'hours'
        : 'minutes'
  return {
    steps: definition.steps.map((s) => ({ ...s, filters: s.filters?.map((f) => ({ ...f })) })),
    windowValue: definition.windowMs / UNIT_MS[unit],
    windowUnit: unit,
    order: definition.order ?? 'ordered',
    breakdownSource: definition.breakdown?.source ?? 'none',
    breakdownProperty: definition.breakdown?.property ?? ''
  }
}

/** Reads `f=` from the hash query; null when absent or not a usable definition. */
export function definitionFromParams(params: URLSearchParams): FunnelDefinition | null {
  const raw = params.get('f')
  if (!raw) return null
  try {
    const parsed = JSON.parse(raw) as FunnelDefinition
    if (!Array.isArray(parsed.steps) || typeof parsed.windowMs !== 'number') return null
    return draftToDefinition(definitionToDraft(parsed))
  } catch {
    return null
  }
}

/** The hash query for a definition (and the drill-down selection, when there is one). */
export function definitionToParams(
  definition: FunnelDefinition,
  selection?: { step: number; outcome: 'dropped' | 'converted' } | null
): Record<string, string> {
  const params: Record<string, string> = { f: JSON.stringify(definition) }
  if (selection) {
    params.step = String(selection.step)
    params.outcome = selection.outcome
  }
  return params
}

/** Parses the drill-down selection (`step`, `outcome`) from the hash query. */
export function selectionFromParams(
  params: URLSearchParams,
  stepCount: number
): { step: number; outcome: 'dropped' | 'converted' } | null {
  const step = Number(params.get('step'))
  if (params.get('step') === null || !Number.isInteger(step) || step < 0 || step >= stepCount - 1)
    return null
  return { step, outcome: params.get('outcome') === 'converted' ? 'converted' : 'dropped' }
}

/**
 * The step events that no imported event has (a typo, or data not imported yet), each once, in step order. Empty
 * while the event names are not known (`known` empty), so nothing is flagged before they load.
 */
export function unknownStepEvents(
  definition: FunnelDefinition,
  known: { name: string }[]
): string[] {
  if (known.length === 0) return []
  const names = new Set(known.map((e) => e.name))
  return [...new Set(definition.steps.map((s) => s.event))].filter((event) => !names.has(event))
}
