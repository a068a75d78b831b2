import { z } from 'zod'
import type { InvokeChannel } from '@shared/ipc-contract'
import type { ArgsSchema } from './validators'

const sourceId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
const epochMs = z.number().int().min(0).max(8.64e15)

/** Argument schemas of the `sources:*` and `sync:*` channels. */
export const SYNC_VALIDATORS = {
  'sources:list': z.tuple([]),
  'sources:add-folder': z.tuple([
    z.strictObject({
      path: z.string().max(4_096).optional(),
      name: z.string().max(200).optional()
    })
  ]),
  'sources:add-posthog': z.tuple([
    z.strictObject({
      host: z.string().min(1).max(2_048),
      projectId: z.string().min(1).max(64),
      apiKey: z.string().min(1).max(512),
      name: z.string().max(200).optional(),
      sinceMs: epochMs.nullable().optional(),
      untilMs: epochMs.nullable().optional(),
      includeEvents: z.boolean().optional(),
      includePersons: z.boolean().optional()
    })
  ]),
  'sources:remove': z.tuple([sourceId]),
  'sync:start': z.tuple([
    z.strictObject({
      sourceIds: z.array(sourceId).max(1_000).optional(),
      prune: z.boolean().optional()
    })
  ]),
  'sync:pause': z.tuple([]),
  'sync:resume': z.tuple([]),
  'sync:cancel': z.tuple([]),
  'sync:status': z.tuple([])
} satisfies { [C in InvokeChannel]?: ArgsSchema<C> }
