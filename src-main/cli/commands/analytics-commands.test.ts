import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getCachePath } from '../../core/data-dir'
import { openDatabase } from '../../db/open-database'
import { importPaths } from '../../ingest/import-service'
import { createTempDir, fixturePath } from '../../test/test-db'
import { UsageError, type CommandIo } from '../command'
import { funnelCommand } from './funnel-command'
import { personsCommand } from './persons-command'
import { sessionsCommand } from './sessions-command'

type Manifest = {
  counts: { sessions_with_events: number; persons_identified: number; anonymous_visitors: number }
  ground_truth: {
    funnels: {
      counts: { count: number }[]
      dropoffs: { after_step: number; persons: { person_id: string; email: string | null }[] }[]
      completed_persons: string[]
    }[]
    funnels_14d_window: { counts: { count: number }[] }[]
    multi_device_persons: { person_id: string }[]
  }
  recordings: { session_id: string; person_id: string }[]
}

const ACME = fixturePath('acme-small')
const manifest = JSON.parse(readFileSync(join(ACME, 'MANIFEST.json'), 'utf8')) as Manifest
const STEPS = [
  '$pageview:$pathname=/',
  '$pageview:$pathname^=/product/',
  'added_to_cart',
  'checkout_started',
  'purchase_completed'
].flatMap((spec) => ['--step', spec])

let temp: ReturnType<typeof createTempDir>

beforeAll(async () => {
  temp = createTempDir()
  const db = openDatabase(getCachePath(temp.dir))
  await importPaths(db, [ACME], { workers: 0 })
  db.close()
})

afterAll(() => temp.cleanup())

async function runJson(command: typeof funnelCommand, argv: string[]): Promise<unknown> {
  const stdout = new PassThrough()
  const chunks: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  const io: CommandIo = { stdout, stderr: new PassThrough(), env: {} }
  expect(await command.run([...argv, '--data', temp.dir, '--json'], io)).toBe(0)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

type FunnelJson = {
  steps: {
    event: string
    count: number
    conversionFromPrevious: number
    medianSecondsToConvert: number | null
  }[]
  dropoffs: {
    afterStep: number
    persons: { personId: string; email: string | null; recordingIds: string[] }[]
  }[]
  completedPersons: { personId: string }[]
}

describe('tapedeck funnel / sessions / persons on acme-small', () => {
  it('prints the manifest’s funnel counts, drop-off persons (with their recordings) and completed persons', async () => {
    const truth = manifest.ground_truth.funnels[0]
    const report = (await runJson(funnelCommand, [...STEPS, '--window', '1d'])) as FunnelJson
    expect(report.steps.map((s) => s.count)).toEqual(truth.counts.map((c) => c.count))
    expect(report.steps[1].conversionFromPrevious).toBeCloseTo(
      truth.counts[1].count / truth.counts[0].count
    )
    expect(report.dropoffs.map((d) => d.afterStep)).toEqual(truth.dropoffs.map((d) => d.after_step))
    const recordingPerson = new Map(manifest.recordings.map((r) => [r.session_id, r.person_id]))
    for (const dropoff of truth.dropoffs) {
      const printed = report.dropoffs.find((d) => d.afterStep === dropoff.after_step)?.persons ?? []
      expect(printed.map((p) => ({ person_id: p.personId, email: p.email }))).toEqual(
        [...dropoff.persons].sort((a, b) => (a.person_id < b.person_id ? -1 : 1))
      )
      for (const person of printed) {
        for (const id of person.recordingIds) expect(recordingPerson.get(id)).toBe(person.personId)
      }
    }
    expect(report.completedPersons.map((p) => p.personId)).toEqual(
      [...truth.completed_persons].sort()
    )
  })

  it('uses the window given, and a one-day window by default', async () => {
    const wide = (await runJson(funnelCommand, [...STEPS, '--window', '14d'])) as FunnelJson
    expect(wide.steps.map((s) => s.count)).toEqual(
      manifest.ground_truth.funnels_14d_window[0].counts.map((c) => c.count)
    )
    const byDefault = (await runJson(funnelCommand, STEPS)) as FunnelJson
    expect(byDefault.steps.map((s) => s.count)).toEqual(
      manifest.ground_truth.funnels[0].counts.map((c) => c.count)
    )
  })

  it('prints session totals and the multi-device persons', async () => {
    const stats = (await runJson(sessionsCommand, [])) as {
      sessions: number
      multiDevicePersons: number
      multiDevice: { personId: string }[]
    }
    expect(stats.sessions).toBe(manifest.counts.sessions_with_events)
    expect(stats.multiDevicePersons).toBe(manifest.ground_truth.multi_device_persons.length)
    expect(stats.multiDevice.map((p) => p.personId)).toEqual(
      manifest.ground_truth.multi_device_persons.map((p) => p.person_id).sort()
    )
    const byGap = (await runJson(sessionsCommand, ['--gap', '30m'])) as {
      definition: unknown
      sessions: number
    }
    expect(byGap.definition).toEqual({ kind: 'gap', gapMs: 1_800_000 })
  })

  it('lists and searches persons', async () => {
    const all = (await runJson(personsCommand, [])) as { total: number; persons: { id: string }[] }
    expect(all.total).toBe(manifest.counts.persons_identified + manifest.counts.anonymous_visitors)
    expect(all.persons).toHaveLength(all.total)
    const found = (await runJson(personsCommand, ['--search', 'KAI.BROWN'])) as {
      persons: { email: string }[]
    }
    expect(found.persons.map((p) => p.email)).toEqual(['kai.brown@inbox.example.org'])
  })

  it('rejects a funnel with fewer than two steps', async () => {
    const io: CommandIo = { stdout: new PassThrough(), stderr: new PassThrough(), env: {} }
    await expect(funnelCommand.run(['--step', 'a', '--data', temp.dir], io)).rejects.toThrow(
      UsageError
    )
  })
})
