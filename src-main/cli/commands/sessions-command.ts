import type { SessionDefinition } from '@shared/analytics'
import { createAnalyticsEngine } from '../../analytics/analytics-engine'
import { computeSessionStats } from '../../analytics/sessions'
import { parseCommandArgs, parseDurationOption } from '../args'
import { UsageError, type Command } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'

export const sessionsCommand: Command = {
  name: 'sessions',
  summary: 'Session statistics: totals, durations, bounce rate, multi-device persons',
  usage: `Usage: tapedeck sessions [--gap 30m | --property NAME] [--data DIR] [--json]

  (default)        a session is a $session_id
  --gap D          a session ends after D of inactivity of the person (30m, 1h…)
  --property NAME  a session is a value of the event property NAME
  --json           print {"sessions","persons","events","eventsWithoutSession","durationSeconds":{"average","p50",
                   "p75","p90","p95","p99"},"bounceRate","bouncedSessions","bounceEligibleSessions",
                   "pageviewsPerSession","sessionsPerPerson","multiDevicePersons","multiDeviceConcurrentPersons",
                   "multiDevice":[{"personId","email","devices"}],"perDay":[{"day","sessions"}]}

Bounce is PostHog's: at most one pageview/screen/autocapture and under 10 s; sessions without any are left out.
Multi-device persons used more than one device ($device_id, else device type / OS / browser).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...DATA_OPTION,
      gap: { type: 'string' },
      property: { type: 'string' },
      json: { type: 'boolean' }
    })
    if (values.gap !== undefined && values.property !== undefined) {
      throw new UsageError('give --gap or --property, not both')
    }
    const gapMs = parseDurationOption('gap', values.gap)
    if (gapMs !== undefined && gapMs <= 0) throw new UsageError('--gap must be positive')
    const definition: SessionDefinition =
      gapMs !== undefined
        ? { kind: 'gap', gapMs }
        : values.property !== undefined
          ? { kind: 'property', property: values.property }
          : { kind: 'session-id' }
    return withCacheContext(values.data, io, (context) => {
      const engine = createAnalyticsEngine(context.db)
      const stats = computeSessionStats(context.db, engine.getStore(), { definition })
      const summary = {
        definition,
        sessions: stats.sessions,
        persons: stats.persons,
        events: stats.events,
        eventsWithoutSession: stats.eventsWithoutSession,
        durationSeconds: {
          average: stats.duration.averageSeconds,
          ...stats.duration.percentilesSeconds
        },
        bounceRate: stats.bounce.rate,
        bouncedSessions: stats.bounce.bounced,
        bounceEligibleSessions: stats.bounce.eligible,
        pageviewsPerSession: stats.pageviews.averagePerSession,
        sessionsPerPerson: stats.sessionsPerPerson.average,
        multiDevicePersons: stats.multiDevice.persons,
        multiDeviceConcurrentPersons: stats.multiDevice.concurrentPersons,
        multiDevice: stats.multiDevice.list.map((p) => ({
          personId: p.personId,
          email: p.email,
          devices: p.devices,
          sessions: p.sessions,
          concurrent: p.concurrent
        })),
        perDay: stats.perDay
      }
      if (values.json) {
        writeJson(io, summary)
        return 0
      }
      const d = summary.durationSeconds
      const seconds = (s: number) => `${s.toFixed(1)}s`
      io.stdout.write(
        `Sessions:              ${stats.sessions} (${stats.persons} persons, ${stats.events} events` +
          `${stats.eventsWithoutSession > 0 ? `, ${stats.eventsWithoutSession} events without a session` : ''})\n` +
          `Duration:              average ${seconds(d.average)}, p50 ${seconds(d.p50)}, p75 ${seconds(d.p75)}, ` +
          `p90 ${seconds(d.p90)}, p95 ${seconds(d.p95)}, p99 ${seconds(d.p99)}\n` +
          `Bounce rate:           ${(stats.bounce.rate * 100).toFixed(1)}% (${stats.bounce.bounced} of ${stats.bounce.eligible})\n` +
          `Pageviews per session: ${stats.pageviews.averagePerSession.toFixed(2)}\n` +
          `Sessions per person:   ${stats.sessionsPerPerson.average.toFixed(2)}\n` +
          `Multi-device persons:  ${stats.multiDevice.persons} (${stats.multiDevice.concurrentPersons} within the gap)\n`
      )
      return 0
    })
  }
}
