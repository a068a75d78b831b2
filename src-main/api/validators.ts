/**
 * Runtime argument validation for every channel of the contract.
 *
 * Types vanish at the process boundary, so the Electron IPC layer and the web host both call `validateArgs` before
 * a handler runs. Each domain keeps one schema tuple per channel in a `<DOMAIN>_VALIDATORS` map (here, or in its own
 * `*-validators.ts` next to this file) and spreads it into `VALIDATORS` with a one-line edit; the `satisfies` clause
 * fails the build when a channel has no schema or its schema drifts from the contract's argument types.
 */
import { z } from 'zod'
import type { InvokeArgs, InvokeChannel } from '@shared/ipc-contract'
import type { RecordingId, RecordingQuery } from '@shared/domain'
import { SYNC_VALIDATORS } from './sync-validators'
import { ANALYTICS_VALIDATORS, PERSON_VALIDATORS } from './analytics-validators'

/** A schema whose parsed value has the channel's argument tuple type. */
export type ArgsSchema<C extends InvokeChannel> = z.ZodType<InvokeArgs<C>>

const MAX_TEXT = 2_000
const MAX_ID = 256

/** Any stored id: a non-empty, bounded string. */
export const idSchema = z.string().min(1).max(MAX_ID)
export const recordingIdSchema = idSchema.transform((id) => id as RecordingId)
const epochMs = z.number().int().min(0).max(8.64e15)
const durationMs = z.number().int().min(0).max(1e12)

export const recordingQuerySchema: z.ZodType<RecordingQuery> = z.strictObject({
  text: z.string().max(MAX_TEXT).optional(),
  fromMs: epochMs.optional(),
  toMs: epochMs.optional(),
  minDurationMs: durationMs.optional(),
  maxDurationMs: durationMs.optional(),
  minActiveMs: durationMs.optional(),
  hasExceptions: z.boolean().optional(),
  hasConsoleErrors: z.boolean().optional(),
  person: z.string().max(MAX_TEXT).optional(),
  urlContains: z.string().max(MAX_TEXT).optional(),
  performedEvent: z.string().max(MAX_TEXT).optional(),
  viewed: z.boolean().optional(),
  sort: z.enum(['latest', 'oldest', 'longest', 'most-active', 'most-errors']).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).max(1e9).optional()
})

export const APP_VALIDATORS = {
  'app:get-info': z.tuple([]),
  'app:get-totals': z.tuple([]),
  'imports:list': z.tuple([
    z.strictObject({
      limit: z.number().int().min(1).max(10_000).optional(),
      onlyFailed: z.boolean().optional()
    })
  ])
} satisfies { [C in InvokeChannel]?: ArgsSchema<C> }

export const RECORDING_VALIDATORS = {
  'recordings:search': z.tuple([recordingQuerySchema]),
  'recordings:count': z.tuple([recordingQuerySchema]),
  'recordings:get': z.tuple([recordingIdSchema]),
  'recordings:get-playback': z.tuple([recordingIdSchema]),
  'recordings:get-timeline': z.tuple([recordingIdSchema]),
  'recordings:get-chunk': z.tuple([recordingIdSchema, z.number().int().min(0).max(1e9)]),
  'recordings:mark-viewed': z.tuple([recordingIdSchema, z.boolean()]),
  'recordings:get-keyframes': z.tuple([recordingIdSchema]),
  'recordings:get-keyframe': z.tuple([recordingIdSchema, z.number().int().min(0).max(1e9)]),
  'views:list': z.tuple([]),
  'views:save': z.tuple([z.string().trim().min(1).max(200), recordingQuerySchema]),
  'views:delete': z.tuple([z.number().int().min(0)])
} satisfies { [C in InvokeChannel]?: ArgsSchema<C> }

export const ASSET_VALIDATORS = {
  'assets:get-status': z.tuple([]),
  'assets:fetch': z.tuple([z.strictObject({ retryFailed: z.boolean().optional() })])
} satisfies { [C in InvokeChannel]?: ArgsSchema<C> }

/** One schema per channel. A new domain spreads its map here. */
export const VALIDATORS = {
  ...APP_VALIDATORS,
  ...RECORDING_VALIDATORS,
  ...ASSET_VALIDATORS,
  ...SYNC_VALIDATORS,
  ...ANALYTICS_VALIDATORS,
  ...PERSON_VALIDATORS
} satisfies { [C in InvokeChannel]: ArgsSchema<C> }

export type ValidationResult<C extends InvokeChannel> =
  | { ok: true; args: InvokeArgs<C> }
  | { ok: false; message: string }

/**
 * Checks `args` (as received over IPC or HTTP) against the channel's schema.
 *
 * Returns the parsed arguments (strings trimmed where the schema says so, ids branded) or a one-line message naming
 * the first bad argument. Never throws for bad input.
 */
export function validateArgs<C extends InvokeChannel>(channel: C, args: unknown): ValidationResult<C> {
  const schema = (VALIDATORS as { [K in InvokeChannel]: ArgsSchema<K> })[channel] as ArgsSchema<C> | undefined
  if (schema === undefined) return { ok: false, message: `unknown channel "${String(channel)}"` }
  if (!Array.isArray(args)) return { ok: false, message: `${channel}: arguments must be an array` }
  const result = schema.safeParse(args)
  if (result.success) return { ok: true, args: result.data }
  const issue = result.error.issues[0]
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  return { ok: false, message: `${channel}: invalid arguments${where}: ${issue?.message ?? 'rejected'}` }
}
