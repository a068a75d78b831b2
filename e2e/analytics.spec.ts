import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FunnelPage, PersonsPage, SessionsPage, type StepInput } from './pages/analytics-pages'
import { PlayerPage } from './pages/player-page'
import { expect, test, useTapedeck } from './support/fixtures'
import { readManifest, recordingsOfEmail } from './support/manifest'
import { ACME_SMALL } from './support/tapedeck-server'

const server = useTapedeck({ fixtures: [ACME_SMALL] })
const manifest = readManifest()

type FunnelTruth = {
  counts: { event: string; where?: string; count: number }[]
  dropoffs: { after_step: number; persons: { person_id: string }[] }[]
}
const groundTruth = JSON.parse(readFileSync(join(ACME_SMALL, 'MANIFEST.json'), 'utf8')) as {
  ground_truth: { funnels: FunnelTruth[]; multi_device_persons: { person_id: string }[] }
}

/** The manifest's steps (`$pathname == "/"`, `$pathname starts with "/product/"`) as builder input. */
function stepsOf(truth: FunnelTruth): StepInput[] {
  return truth.counts.map((step) => {
    const equals = step.where ? /^(\S+) == "(.*)"$/.exec(step.where) : null
    const prefix = step.where ? /^(\S+) starts with "(.*)"$/.exec(step.where) : null
    if (equals)
      return { event: step.event, property: equals[1], operator: 'equals', value: equals[2] }
    if (prefix)
      return { event: step.event, property: prefix[1], operator: 'starts-with', value: prefix[2] }
    return { event: step.event }
  })
}

test('a funnel built in the UI matches the manifest, and a drop-off opens a recording of that person at the step', async ({
  page
}, testInfo) => {
  const truth = groundTruth.ground_truth.funnels[0] as FunnelTruth
  const funnel = new FunnelPage(page)
  await funnel.open(server().url)
  await funnel.build(stepsOf(truth), 1)
  expect(await funnel.counts()).toEqual(truth.counts.map((c) => c.count))
  await page.screenshot({ path: testInfo.outputPath('funnel.png') })

  for (const dropoff of truth.dropoffs) {
    await funnel.openDropoff(dropoff.after_step)
    await expect(funnel.drilldownPersons).toHaveCount(dropoff.persons.length)
    expect((await funnel.drilldownPersonIds()).sort()).toEqual(
      dropoff.persons.map((p) => p.person_id).sort()
    )
  }
  await expect(page.getByTestId('funnel-issues')).toBeVisible()

  // The last drop-off: open the first person's recording; it belongs to them and opens where the step happened.
  const first = funnel.drilldownPersons.first()
  const personId = await first.getAttribute('data-person-id')
  const link = first.getByTestId('funnel-recording-link').first()
  const href = (await link.getAttribute('href')) ?? ''
  const match = /#\/recordings\/([^?]+)\?t=([\d.]+)/.exec(href)
  expect(match).not.toBeNull()
  const recording = manifest.recordings.find(
    (r) => r.session_id === decodeURIComponent(match?.[1] ?? '')
  )
  expect(recording?.person_id).toBe(personId)
  await link.click()
  const player = new PlayerPage(page)
  await player.waitLoaded()
  expect(Math.abs((await player.currentTimeMs()) - Number(match?.[2]) * 1000)).toBeLessThan(1500)
})

test('persons: search, a person’s recordings first, then their cross-device timeline', async ({
  page
}) => {
  const persons = new PersonsPage(page)
  await persons.open(server().url)
  const email = 'kai.brown@inbox.example.org'
  await persons.search('KAI.BROWN')
  await expect(persons.rows).toHaveCount(1)
  await persons.rows.first().click()
  await persons.waitReady()
  await expect(page.getByTestId('person-title')).toHaveText(email)
  const expected = recordingsOfEmail(manifest, email)
    .map((r) => r.session_id)
    .sort()
  await expect(page.getByTestId('person-recordings').getByTestId('recording-row')).toHaveCount(
    expected.length
  )
  await persons.tab('Timeline')
  await expect(page.getByTestId('timeline-session')).toHaveCount(expected.length)
  await expect(page.getByText('Mobile · Mobile Safari · iOS').first()).toBeVisible()
})

test('sessions: totals and the multi-device persons of the manifest, with their sessions', async ({
  page
}) => {
  const sessions = new SessionsPage(page)
  await sessions.open(server().url)
  expect(await sessions.figure('stat-sessions')).toBe(String(manifest.recordings.length))
  const multi = groundTruth.ground_truth.multi_device_persons
  expect(await sessions.figure('stat-multi-device')).toBe(String(multi.length))
  await page.getByTestId('stat-multi-device').click()
  await expect(page.getByTestId('session-list')).toBeVisible()
  await expect(page.getByTestId('multi-device-person')).toHaveCount(multi.length)
  await expect(page.getByTestId('session-row').first()).toBeVisible()
})
