import type { RecordingQuery, RecordingSort } from '@shared/domain'
import { searchRecordings } from '../../db/recording-queries'
import { parseCommandArgs, parseNumberOption } from '../args'
import { UsageError, type Command } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'

const SORTS: RecordingSort[] = ['latest', 'oldest', 'longest', 'most-active', 'most-errors']

export const recordingsCommand: Command = {
  name: 'recordings',
  summary: 'List and search recordings (the query the app\'s list uses)',
  usage: `Usage: tapedeck recordings [--data DIR] [--search TEXT] [--person EMAIL_OR_ID] [--has-exceptions]
                          [--has-console-errors] [--min-duration S] [--url TEXT] [--event NAME]
                          [--sort latest|oldest|longest|most-active|most-errors] [--limit N] [--offset N] [--json]

  --search TEXT        full-text search: person email / name / distinct ids, URLs, console text, exception
                       messages, custom event tags, event names
  --person X           a person's email, person id or distinct id
  --has-exceptions     only recordings whose session has $exception events
  --has-console-errors only recordings with console errors
  --min-duration S     at least S seconds long
  --url TEXT           visited a URL containing TEXT
  --event NAME         the session performed the analytics event NAME
  --limit N            at most N rows (default 50)
  --json               print {"total":n,"recordings":[{"id","personEmail","distinctId","startTime","durationMs",
                       "activeMs","exceptionCount","consoleErrorCount","startUrl"}…]}`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...DATA_OPTION,
      search: { type: 'string' },
      person: { type: 'string' },
      'has-exceptions': { type: 'boolean' },
      'has-console-errors': { type: 'boolean' },
      'min-duration': { type: 'string' },
      url: { type: 'string' },
      event: { type: 'string' },
      sort: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      json: { type: 'boolean' }
    })
    if (values.sort !== undefined && !SORTS.includes(values.sort as RecordingSort)) {
      throw new UsageError(`--sort must be one of ${SORTS.join(', ')}`)
    }
    const minDuration = parseNumberOption('min-duration', values['min-duration'])
    const query: RecordingQuery = {
      text: values.search,
      person: values.person,
      hasExceptions: values['has-exceptions'] ? true : undefined,
      hasConsoleErrors: values['has-console-errors'] ? true : undefined,
      minDurationMs: minDuration === undefined ? undefined : minDuration * 1000,
      urlContains: values.url,
      performedEvent: values.event,
      sort: values.sort as RecordingSort | undefined,
      limit: parseNumberOption('limit', values.limit),
      offset: parseNumberOption('offset', values.offset)
    }
    return withCacheContext(values.data, io, (context) => {
      const page = searchRecordings(context.db, query)
      if (values.json) {
        writeJson(io, {
          total: page.total,
          recordings: page.recordings.map((r) => ({
            id: r.id,
            personEmail: r.personEmail,
            distinctId: r.distinctId,
            startTime: new Date(r.startedAtMs).toISOString(),
            durationMs: r.durationMs,
            activeMs: r.activeMs,
            exceptionCount: r.exceptionCount,
            consoleErrorCount: r.consoleErrorCount,
            startUrl: r.startUrl
          }))
        })
        return 0
      }
      io.stdout.write(`${page.total} recording(s)${page.total > page.recordings.length ? `, showing ${page.recordings.length}` : ''}\n`)
      for (const r of page.recordings) {
        const who = r.personEmail ?? r.distinctId ?? '(anonymous)'
        const badges = [r.exceptionCount > 0 ? `${r.exceptionCount} exc` : '', r.consoleErrorCount > 0 ? `${r.consoleErrorCount} err` : '']
          .filter(Boolean)
          .join(' ')
        io.stdout.write(
          `${r.id}  ${new Date(r.startedAtMs).toISOString().replace('T', ' ').slice(0, 19)}  ` +
            `${formatDuration(r.durationMs).padStart(8)}  ${who}  ${r.startUrl ?? ''}${badges ? `  [${badges}]` : ''}\n`
        )
      }
      return 0
    })
  }
}

function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`
}
