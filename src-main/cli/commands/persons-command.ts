import type { PersonSort } from '@shared/analytics'
import type { PersonSummary } from '@shared/domain'
import { createAnalyticsEngine } from '../../analytics/analytics-engine'
import { listPersons } from '../../analytics/persons'
import { parseCommandArgs, parseNumberOption } from '../args'
import { UsageError, type Command } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'

const SORTS: PersonSort[] = ['last-seen', 'recordings', 'sessions', 'exceptions']
const PAGE = 500

export const personsCommand: Command = {
  name: 'persons',
  summary: 'List and search persons with their recording, session and exception counts',
  usage: `Usage: tapedeck persons [--search TEXT] [--identified | --anonymous] [--sort last-seen|recordings|sessions|exceptions]
                       [--limit N] [--data DIR] [--json]

  --search TEXT  email, name, person id, distinct id or property value containing TEXT (any case)
  --identified   only persons with a profile; --anonymous: only anonymous visitors
  --limit N      at most N persons (default: all)
  --json         print {"total":n,"persons":[{"id","email","name","distinctIds","isIdentified","recordingCount",
                 "sessionCount","exceptionCount","lastSeenMs"}…]}`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      ...DATA_OPTION,
      search: { type: 'string' },
      identified: { type: 'boolean' },
      anonymous: { type: 'boolean' },
      sort: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' }
    })
    if (values.identified && values.anonymous)
      throw new UsageError('give --identified or --anonymous, not both')
    if (values.sort !== undefined && !SORTS.includes(values.sort as PersonSort)) {
      throw new UsageError(`--sort must be one of ${SORTS.join(', ')}`)
    }
    const limit = parseNumberOption('limit', values.limit) ?? Infinity
    return withCacheContext(values.data, io, (context) => {
      const store = createAnalyticsEngine(context.db).getStore()
      const persons: PersonSummary[] = []
      let total = 0
      for (let offset = 0; persons.length < limit; offset += PAGE) {
        const page = listPersons(context.db, store, {
          search: values.search,
          identified: values.identified ? true : values.anonymous ? false : undefined,
          sort: values.sort as PersonSort | undefined,
          offset,
          limit: Math.min(PAGE, limit - persons.length)
        })
        total = page.total
        persons.push(...page.persons)
        if (page.persons.length === 0 || offset + PAGE >= page.total) break
      }
      if (values.json) {
        writeJson(io, { total, persons })
        return 0
      }
      for (const person of persons) {
        const who = person.email ?? person.name ?? person.id
        const seen =
          person.lastSeenMs === null ? 'never' : new Date(person.lastSeenMs).toISOString()
        io.stdout.write(
          `${who.padEnd(40)} recordings ${String(person.recordingCount).padStart(4)}  sessions ${String(person.sessionCount).padStart(4)}` +
            `  exceptions ${String(person.exceptionCount).padStart(4)}  last seen ${seen}\n`
        )
      }
      io.stdout.write(`${persons.length} of ${total} persons\n`)
      return 0
    })
  }
}
