import type { FunnelDefinition } from '@shared/analytics'
import { createAnalyticsEngine } from '../../analytics/analytics-engine'
import { buildFunnelReport } from '../../analytics/funnel-report'
import { selectFunnelPersons, summarizeFunnel } from '../../analytics/funnels'
import { getPersonProfiles } from '../../db/person-queries'
import { parseCommandArgs, parseDurationOption } from '../args'
import { UsageError, type Command } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'
import { parseStepSpec } from '../funnel-spec'

export const funnelCommand: Command = {
  name: 'funnel',
  summary: 'Funnel counts, conversion, drop-off persons and their recordings',
  usage: `Usage: tapedeck funnel --step SPEC --step SPEC… [--window 1d] [--strict] [--breakdown event:PROP|person:PROP]
                      [--from DATE] [--to DATE] [--data DIR] [--json]

  --step SPEC    2 to 10 steps, in order. SPEC is EVENT, EVENT:PROPERTY=VALUE, EVENT:PROPERTY^=PREFIX,
                 EVENT:PROPERTY~=TEXT (contains, any case) or EVENT:PROPERTY!=VALUE,
                 e.g. --step '$pageview:$pathname=/' --step '$pageview:$pathname^=/product/' --step added_to_cart
  --window D     conversion window from the first step (default 1d; 30m, 12h, 14d…); the edge counts
  --strict       no other event of the person may happen between two steps
  --breakdown B  split by an event property of the first step (event:$browser) or a person property (person:plan)
  --from/--to    only events in this time range (ISO date or time)
  --json         print {"steps":[{"event","count","conversionFromPrevious","medianSecondsToConvert",…}],
                 "dropoffs":[{"afterStep":i,"persons":[{"personId","email","recordingIds",…}]}],"completedPersons":[…]}

Persons are counted as PostHog does: by person, an anonymous visitor's events count as that visitor's own person.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...DATA_OPTION,
      step: { type: 'string', multiple: true },
      window: { type: 'string' },
      strict: { type: 'boolean' },
      breakdown: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' }
    })
    const specs = values.step ?? []
    if (specs.length < 2 || specs.length > 10) throw new UsageError('give 2 to 10 --step options')
    const windowMs = parseDurationOption('window', values.window) ?? 86_400_000
    if (windowMs <= 0) throw new UsageError('--window must be positive')
    const definition: FunnelDefinition = {
      steps: specs.map(parseStepSpec),
      windowMs,
      order: values.strict ? 'strict' : 'ordered',
      breakdown: parseBreakdown(values.breakdown),
      fromMs: parseDate('from', values.from),
      toMs: parseDate('to', values.to)
    }
    return withCacheContext(values.data, io, (context) => {
      const engine = createAnalyticsEngine(context.db)
      const computation = engine.getFunnel(definition)
      if (values.json) {
        writeJson(io, buildFunnelReport(context.db, computation))
        return 0
      }
      // The table needs counts and a few names per drop-off, not every person's recordings.
      const result = summarizeFunnel(computation)
      const width = Math.max(...result.steps.map((s) => s.label.length), 4)
      const lines = result.steps.map((step, i) => {
        const conversion =
          i === 0 ? '' : `  ${(step.conversionFromPrevious * 100).toFixed(1)}% of previous`
        const median =
          step.medianSecondsToConvert === null
            ? ''
            : `, median ${formatSeconds(step.medianSecondsToConvert)}`
        return `${String(i + 1).padStart(2)}. ${step.label.padEnd(width)}  ${String(step.count).padStart(7)}${conversion}${median}`
      })
      const names = (persons: number[]): string => {
        const keys = persons.slice(0, 5).map((p) => computation.store.personKeys[p])
        const profiles = getPersonProfiles(context.db, keys)
        const shown = keys.map((key) => profiles.get(key)?.email ?? key).join(', ')
        return persons.length > 5 ? `${shown}, …` : shown
      }
      const drops = result.steps.slice(0, -1).map((_, s) => {
        const persons = selectFunnelPersons(computation, s, 'dropped')
        return `   dropped after step ${s + 1}: ${persons.length} (${names(persons)})`
      })
      const completed = selectFunnelPersons(
        computation,
        result.steps.length - 2,
        'converted'
      ).length
      io.stdout.write(
        `${lines.join('\n')}\n\n${drops.join('\n')}\n   completed: ${completed}\n` +
          `Window ${formatSeconds(windowMs / 1000)}. Use --json for every person and recording.\n`
      )
      return 0
    })
  }
}

function parseBreakdown(value: string | undefined): FunnelDefinition['breakdown'] {
  if (value === undefined) return null
  const match = /^(event|person):(.+)$/.exec(value)
  if (!match) throw new UsageError('--breakdown expects event:PROPERTY or person:PROPERTY')
  return { source: match[1] as 'event' | 'person', property: match[2] }
}

function parseDate(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  if (Number.isNaN(ms))
    throw new UsageError(`--${name} expects a date like 2026-10-12 or 2026-10-12T08:00:00Z`)
  return ms
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)}s`
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`
  return `${Math.round(seconds / 86_400)}d`
}
