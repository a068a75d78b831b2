import type { FunnelStep, PropertyFilter } from '@shared/analytics'
import { UsageError } from './command'

const OPERATORS: { token: string; operator: PropertyFilter['operator'] }[] = [
  { token: '^=', operator: 'starts-with' },
  { token: '~=', operator: 'contains' },
  { token: '!=', operator: 'not-equals' },
  { token: '=', operator: 'equals' }
]

/**
 * Parses a `--step` SPEC: `EVENT`, or `EVENT:PROPERTY=VALUE` (equals), `EVENT:PROPERTY^=PREFIX` (starts with),
 * `EVENT:PROPERTY~=TEXT` (contains, case-insensitive), `EVENT:PROPERTY!=VALUE` (not equal).
 *
 * The event name ends at the first `:`; the property name ends at the first operator, so values may hold `:` and
 * `=` (URLs). Throws a `UsageError` for an empty event or property.
 */
export function parseStepSpec(spec: string): FunnelStep {
  const colon = spec.indexOf(':')
  const event = (colon < 0 ? spec : spec.slice(0, colon)).trim()
  if (event === '') throw new UsageError(`--step "${spec}": the event name is empty`)
  if (colon < 0) return { event }
  const condition = spec.slice(colon + 1)
  let best: { index: number; token: string; operator: PropertyFilter['operator'] } | null = null
  for (const { token, operator } of OPERATORS) {
    const index = condition.indexOf(token)
    if (index < 0) continue
    // The earliest operator wins; at the same place the two-character one (`^=` before `=`).
    if (
      best === null ||
      index < best.index ||
      (index === best.index && token.length > best.token.length)
    ) {
      best = { index, token, operator }
    }
  }
  if (best === null) {
    throw new UsageError(
      `--step "${spec}": expected PROPERTY=VALUE, PROPERTY^=PREFIX or PROPERTY~=TEXT after ":"`
    )
  }
  const property = condition.slice(0, best.index).trim()
  const value = condition.slice(best.index + best.token.length)
  if (property === '') {
    throw new UsageError(`--step "${spec}": the property name is empty`)
  }
  return { event, filters: [{ property, operator: best.operator, value }] }
}
