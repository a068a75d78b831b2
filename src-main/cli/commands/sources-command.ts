import type { SourceInfo } from '@shared/contract/sync-channels'
import { POSTHOG_KEY_ENV, createFileKeyStore } from '../../sync/key-store'
import { createSyncService } from '../../sync/sync-service'
import { parseCommandArgs, parseDurationOption } from '../args'
import { UsageError, type Command, type CommandIo } from '../command'
import { DATA_OPTION, withCacheContext, writeJson } from '../data-option'
import { readSecret } from '../read-secret'

const USAGE = `Usage: tapedeck sources list [--json]
       tapedeck sources add-folder PATH [--name NAME]
       tapedeck sources add-posthog --host URL --project ID [--name NAME] [--since WHEN] [--until WHEN]
                                    [--no-events] [--no-persons] [--no-verify]
       tapedeck sources remove ID

Sources are what "tapedeck sync" (and the desktop app) keep the cache in step with:
  a folder        new and changed export files in it are imported; the app watches it while it runs
  a PostHog project  recordings, their events and persons are downloaded through the private API

add-posthog reads the personal API key (phx_…, scopes session_recording:read, query:read, person:read) from
$${POSTHOG_KEY_ENV}, or asks for it when run in a terminal. The key is stored in a file only you can read
(<data>/keys/source-<id>.key, mode 0600) and is never printed or logged. WHEN is a date (2026-10-01) or an age
(30d, 12h); the default is the last 30 days, then incrementally from there.

  --data DIR   the data folder (default: $TAPEDECK_DATA, else the desktop app's per-user folder)
  --json       print the sources as JSON
  --no-verify  save the PostHog source without checking the key with one request first`

/** Parses `--since`/`--until`: an ISO date or an age before now. */
function parseWhen(name: string, value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null
  if (/^\d+(\.\d+)?\s*(ms|s|m|h|d|w)$/.test(value.trim())) {
    return nowMs - (parseDurationOption(name, value) ?? 0)
  }
  const ms = Date.parse(value)
  if (Number.isNaN(ms))
    throw new UsageError(`--${name} expects a date (2026-10-01) or an age (30d), got "${value}"`)
  return ms
}

function describeSource(source: SourceInfo): string {
  const where =
    source.kind === 'posthog' ? `${source.location} project ${source.projectId}` : source.location
  const run = source.lastRun
  const last = run
    ? `${run.status} ${new Date(run.finishedAtMs ?? run.startedAtMs).toISOString()}: ${run.itemsImported} imported, ` +
      `${run.itemsFailed} failed${run.error ? ` (${run.error})` : ''}`
    : 'never synced'
  const key = source.kind === 'posthog' && !source.hasKey ? ' [no key stored]' : ''
  return `${String(source.id).padStart(3)}  ${source.kind.padEnd(7)}  ${source.name}  ${where}${key}\n       ${last}\n`
}

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'List, add and remove sync sources (watched folders, PostHog projects)',
  usage: USAGE,
  async run(argv, io) {
    const [action, ...rest] = argv
    if (action === 'list') return listAction(rest, io)
    if (action === 'add-folder') return addFolderAction(rest, io)
    if (action === 'add-posthog') return addPostHogAction(rest, io)
    if (action === 'remove') return removeAction(rest, io)
    throw new UsageError(
      action
        ? `unknown action "${action}"`
        : 'name an action: list, add-folder, add-posthog, remove'
    )
  }
}

async function listAction(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...DATA_OPTION, json: { type: 'boolean' } })
  return withCacheContext(values.data, io, (context) => {
    const service = createSyncService(context, { watch: false })
    const sources = service.listSources()
    if (values.json) writeJson(io, sources)
    else if (sources.length === 0)
      io.stdout.write('No sources yet. Add one with "tapedeck sources add-folder PATH".\n')
    else for (const source of sources) io.stdout.write(describeSource(source))
    return 0
  })
}

async function addFolderAction(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...DATA_OPTION, name: { type: 'string' } },
    true
  )
  if (positionals.length !== 1) throw new UsageError('name exactly one folder')
  return withCacheContext(values.data, io, async (context) => {
    const service = createSyncService(context, { watch: false })
    const result = await service.addFolderSource({ path: positionals[0], name: values.name })
    if (!result.ok) {
      io.stderr.write(`tapedeck sources: ${result.message}\n`)
      return 2
    }
    io.stdout.write(
      `Added source ${result.source.id}: ${result.source.location}\nRun "tapedeck sync" to import it.\n`
    )
    return 0
  })
}

async function addPostHogAction(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...DATA_OPTION,
    host: { type: 'string' },
    project: { type: 'string' },
    name: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    'no-events': { type: 'boolean' },
    'no-persons': { type: 'boolean' },
    'no-verify': { type: 'boolean' }
  })
  if (!values.host)
    throw new UsageError('--host is required (https://us.posthog.com, https://eu.posthog.com, …)')
  if (!values.project)
    throw new UsageError('--project is required (the number in your project URL)')
  const nowMs = Date.now()
  const sinceMs = parseWhen('since', values.since, nowMs)
  const untilMs = parseWhen('until', values.until, nowMs)
  let apiKey = io.env[POSTHOG_KEY_ENV]?.trim() ?? ''
  if (apiKey === '') {
    if (!process.stdin.isTTY) {
      throw new UsageError(
        `set ${POSTHOG_KEY_ENV} to the personal API key (no terminal to ask for it)`
      )
    }
    apiKey = (await readSecret('PostHog personal API key: ', process.stdin, io.stderr)).trim()
    if (apiKey === '') throw new UsageError('no key given')
  }
  return withCacheContext(values.data, io, async (context) => {
    const service = createSyncService(context, {
      watch: false,
      keyStore: createFileKeyStore(context.dataDir),
      verifyPostHog: !values['no-verify']
    })
    const result = await service.addPostHogSource({
      host: values.host as string,
      projectId: values.project as string,
      apiKey,
      name: values.name,
      sinceMs,
      untilMs,
      includeEvents: !values['no-events'],
      includePersons: !values['no-persons']
    })
    if (!result.ok) {
      io.stderr.write(`tapedeck sources: ${result.message}\n`)
      return 2
    }
    io.stdout.write(
      `Added source ${result.source.id}: ${result.source.name}\nThe key is stored in the data folder, readable only by you. ` +
        `Run "tapedeck sync" to download.\n`
    )
    return 0
  })
}

async function removeAction(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, DATA_OPTION, true)
  const id = Number(positionals[0])
  if (positionals.length !== 1 || !Number.isInteger(id) || id < 1)
    throw new UsageError('name one source id')
  return withCacheContext(values.data, io, (context) => {
    const service = createSyncService(context, { watch: false })
    if (!service.removeSource(id).ok) {
      io.stderr.write(`tapedeck sources: there is no source ${id}\n`)
      return 2
    }
    io.stdout.write(`Removed source ${id} (what it brought into the cache stays).\n`)
    return 0
  })
}
