import { z } from 'zod'
import type { FunnelDefinition, SessionDefinition, SessionFilter } from '@shared/analytics'
import type { InvokeChannel } from '@shared/ipc-contract'
import type { ArgsSchema } from './validators'

const MAX_TEXT = 2_000
const epochMs = z.number().int().min(0).max(8.64e15)
const text = z.string().min(1).max(MAX_TEXT)
const offset = z.number().int().min(0).max(1e9).optional()
const limit = z.number().int().min(1).max(1000).optional()

const propertyFilterSchema = z.strictObject({
  property: text,
  operator: z.enum([
    'equals',
    'not-equals',
    'starts-with',
    'contains',
    'not-contains',
    'is-set',
    'is-not-set'
  ]),
  value: z.string().max(MAX_TEXT).optional()
})

export const funnelDefinitionSchema: z.ZodType<FunnelDefinition> = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        event: text,
        label: z.string().max(200).optional(),
        filters: z.array(propertyFilterSchema).max(20).optional()
      })
    )
    .min(2)
    .max(10),
  windowMs: z
    .number()
    .int()
    .min(1000)
    .max(366 * 86_400_000),
  order: z.enum(['ordered', 'strict']).optional(),
  breakdown: z
    .strictObject({ source: z.enum(['event', 'person']), property: text })
    .nullable()
    .optional(),
  fromMs: epochMs.optional(),
  toMs: epochMs.optional()
})

const sessionDefinitionSchema: z.ZodType<SessionDefinition> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('session-id') }),
  z.strictObject({
    kind: z.literal('gap'),
    gapMs: z
      .number()
      .int()
      .min(1000)
      .max(30 * 86_400_000)
  }),
  z.strictObject({ kind: z.literal('property'), property: text })
])

const sessionQueryShape = {
  definition: sessionDefinitionSchema,
  fromMs: epochMs.optional(),
  toMs: epochMs.optional()
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const sessionFilterSchema: z.ZodType<SessionFilter> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('day'), day }),
  z.strictObject({
    kind: z.literal('duration'),
    minSeconds: z.number().min(0),
    maxSeconds: z.number().min(0)
  }),
  z.strictObject({
    kind: z.literal('pageviews'),
    min: z.number().int().min(0),
    max: z.number().int().min(0)
  }),
  z.strictObject({ kind: z.literal('bounced') }),
  z.strictObject({ kind: z.literal('person'), personId: text }),
  z.strictObject({ kind: z.literal('multi-device') })
])

/** Argument schemas of the `funnels:*`, `analytics:*` and `sessions:*` channels. */
export const ANALYTICS_VALIDATORS = {
  'funnels:compute': z.tuple([funnelDefinitionSchema]),
  'funnels:list-persons': z.tuple([
    z.strictObject({
      definition: funnelDefinitionSchema,
      stepIndex: z.number().int().min(0).max(9),
      outcome: z.enum(['dropped', 'converted']),
      breakdownValue: z.string().max(MAX_TEXT).nullable().optional(),
      offset,
      limit
    })
  ]),
  'funnels:find-issues': z.tuple([funnelDefinitionSchema, z.number().int().min(0).max(9)]),
  'funnels:list-saved': z.tuple([]),
  'funnels:save': z.tuple([z.string().trim().min(1).max(200), funnelDefinitionSchema]),
  'funnels:delete': z.tuple([z.number().int().min(0)]),
  'analytics:list-event-names': z.tuple([]),
  'analytics:list-event-properties': z.tuple([text]),
  'sessions:get-stats': z.tuple([z.strictObject(sessionQueryShape)]),
  'sessions:list': z.tuple([
    z.strictObject({ ...sessionQueryShape, filter: sessionFilterSchema, offset, limit })
  ])
} satisfies { [C in InvokeChannel]?: ArgsSchema<C> }

/** Argument schemas of the `persons:*` channels. */
export const PERSON_VALIDATORS = {
  'persons:list': z.tuple([
    z.strictObject({
      search: z.string().max(MAX_TEXT).optional(),
      identified: z.boolean().optional(),
      sort: z.enum(['last-seen', 'recordings', 'sessions', 'exceptions']).optional(),
      offset,
      limit
    })
  ]),
  'persons:get': z.tuple([text]),
  'persons:list-events': z.tuple([
    z.strictObject({ personId: text, event: z.string().max(MAX_TEXT).optional(), offset, limit })
  ]),
  'persons:get-timeline': z.tuple([text])
} satisfies { [C in InvokeChannel]?: ArgsSchema<C> }
