import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './command'

type Options = NonNullable<ParseArgsConfig['options']>

/** `node:util` parseArgs with strict checking, turning its errors into `UsageError`s. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** Parses a non-negative number option, or throws a usage error naming the option. */
export function parseNumberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} expects a non-negative number, got "${value}"`)
  return n
}

/** Parses a duration like `30m`, `1d`, `90s`, `2h`, `1w` or a bare number of seconds into milliseconds. */
export function parseDurationOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(value.trim())
  if (!match) throw new UsageError(`--${name} expects a duration like 30m, 1d or 90s, got "${value}"`)
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
  return Number(match[1]) * (units[match[2] ?? 's'] ?? 1000)
}
