import { describe, expect, it } from 'vitest'
import type { FunnelDefinition } from '@shared/analytics'
import {
  DEFAULT_DRAFT,
  definitionFromParams,
  definitionToDraft,
  definitionToParams,
  draftToDefinition,
  selectionFromParams,
  unknownStepEvents
} from './funnel-definition'

const DEFINITION: FunnelDefinition = {
  steps: [
    { event: '$pageview', filters: [{ property: '$pathname', operator: 'equals', value: '/' }] },
    { event: 'added_to_cart' }
  ],
  windowMs: 2 * 3_600_000,
  order: 'strict',
  breakdown: { source: 'event', property: '$browser' }
}

describe('funnel definition in the URL and the editor', () => {
  it('round-trips a definition through the URL and the draft', () => {
    const params = new URLSearchParams(
      definitionToParams(DEFINITION, { step: 0, outcome: 'converted' })
    )
    expect(definitionFromParams(params)).toEqual(DEFINITION)
    expect(selectionFromParams(params, 2)).toEqual({ step: 0, outcome: 'converted' })
    expect(definitionToDraft(DEFINITION)).toMatchObject({
      windowValue: 2,
      windowUnit: 'hours',
      order: 'strict'
    })
    expect(draftToDefinition(definitionToDraft(DEFINITION))).toEqual(DEFINITION)
  })

  it('refuses drafts that cannot run and drops empty filters', () => {
    expect(draftToDefinition(DEFAULT_DRAFT)).toBeNull()
    const draft = {
      ...DEFAULT_DRAFT,
      steps: [
        { event: 'a', filters: [{ property: ' ', operator: 'equals' as const }] },
        { event: 'b' }
      ]
    }
    expect(draftToDefinition(draft)).toEqual({
      steps: [{ event: 'a' }, { event: 'b' }],
      windowMs: 86_400_000
    })
    expect(draftToDefinition({ ...draft, windowValue: 0 })).toBeNull()
  })

  it('ignores a malformed URL and a selection past the last drop-off', () => {
    expect(definitionFromParams(new URLSearchParams('f=%7Bnot json'))).toBeNull()
    expect(
      definitionFromParams(
        new URLSearchParams({ f: JSON.stringify({ steps: [{ event: 'a' }], windowMs: 1000 }) })
      )
    ).toBeNull()
    expect(selectionFromParams(new URLSearchParams('step=1'), 2)).toBeNull()
    expect(selectionFromParams(new URLSearchParams('step=0'), 2)).toEqual({
      step: 0,
      outcome: 'dropped'
    })
  })
})

describe('unknownStepEvents', () => {
  const known = [{ name: '$pageview' }, { name: 'added_to_cart' }]
  it('names each step event no imported event has, once, in step order', () => {
    const definition: FunnelDefinition = {
      ...DEFINITION,
      steps: [
        { event: 'purchase' },
        { event: '$pageview' },
        { event: 'chekout' },
        { event: 'purchase' }
      ]
    }
    expect(unknownStepEvents(definition, known)).toEqual(['purchase', 'chekout'])
    expect(unknownStepEvents(DEFINITION, known)).toEqual([])
  })
  it('flags nothing while the event names are not loaded', () => {
    expect(
      unknownStepEvents({ ...DEFINITION, steps: [{ event: 'x' }, { event: 'y' }] }, [])
    ).toEqual([])
  })
})
