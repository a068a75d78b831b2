import { PlayerPage } from './pages/player-page'
import { RecordingListPage } from './pages/recording-list-page'
import { expect, test, useTapedeck } from './support/fixtures'
import { readManifest } from './support/manifest'
import { ACME_SMALL } from './support/tapedeck-server'

const server = useTapedeck({ fixtures: [ACME_SMALL] })
const manifest = readManifest()

function recording(sessionId: string) {
  const found = manifest.recordings.find((r) => r.session_id === sessionId)
  if (!found) throw new Error(`${sessionId} is not in the manifest`)
  return found
}

test('finding a person by email, opening the recording with the error, and seeking past it shows the overlay', async ({ page }, testInfo) => {
  const withError = manifest.ground_truth.sessions_with_exceptions.find((s) => s.types.includes('Error') && s.has_recording)
  if (!withError) throw new Error('the manifest lists no recorded session with an Error')
  const target = recording(withError.session_id)
  const email = target.email ?? manifest.recordings.find((r) => r.person_id === target.person_id && r.email)?.email
  if (!email) throw new Error('the recording with the error has no identified person')

  const list = new RecordingListPage(page)
  await list.open(server().url)
  await list.search(email)
  await list.row(target.session_id).click()

  const player = new PlayerPage(page)
  await player.waitLoaded()
  await expect(player.root).toHaveAttribute('data-recording-id', target.session_id)
  await player.pause()
  const exceptionOffsetMs = Date.parse(withError.first_at) - Date.parse(target.start_time)
  expect(exceptionOffsetMs).toBeGreaterThan(2000)

  await player.clickSeekBarAt(exceptionOffsetMs - 1500)
  await expect(player.overlay).toBeHidden()
  await player.clickSeekBarAt(exceptionOffsetMs + 1500)
  await expect(player.overlay).toBeVisible()
  await expect(player.overlay.getByTestId('exception-message')).toHaveText(withError.values[0] as string)
  await expect(player.overlay.getByTestId('exception-type')).toContainText(withError.types[0] as string)
  expect(await player.currentTimeMs()).toBeGreaterThan(exceptionOffsetMs)
  await page.screenshot({ path: testInfo.outputPath('player-exception-overlay.png') })

  // "Show in inspector" selects the Exceptions tab with the row.
  await player.overlay.getByRole('button', { name: 'Show in inspector' }).click()
  await expect(page.getByRole('tab', { name: /Exceptions/ })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('inspector-row').filter({ hasText: withError.values[0] as string }).first()).toBeVisible()

  // The list now shows the recording as viewed.
  await page.goBack()
  await list.waitReady()
  await expect(list.row(target.session_id).locator('.viewed-dot-seen')).toHaveCount(1)
})

test('a deep link opens the player at the given time', async ({ page }, testInfo) => {
  const target = [...manifest.recordings].sort((a, b) => b.duration_ms - a.duration_ms)[0]
  if (!target) throw new Error('no recordings in the manifest')
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)
  const seconds = Math.floor(target.duration_ms / 2000)
  await player.open(server().origin, target.session_id, seconds)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  const timeMs = await player.currentTimeMs()
  expect(timeMs).toBeGreaterThanOrEqual(seconds * 1000)
  expect(timeMs).toBeLessThan(seconds * 1000 + 250)
  await expect(page.getByTestId('player-clock')).toHaveText(`${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`)
  await page.screenshot({ path: testInfo.outputPath('player.png') })

  // Playing moves the clock on; the keyboard seeks.
  await page.keyboard.press('Space')
  await expect(player.root).toHaveAttribute('data-player-state', 'playing')
  await expect.poll(() => player.currentTimeMs()).toBeGreaterThan(timeMs + 300)
  await page.keyboard.press('Space')
  await expect(player.root).not.toHaveAttribute('data-player-state', 'playing')
  const pausedAt = await player.currentTimeMs()
  await page.keyboard.press('ArrowLeft')
  await expect.poll(() => player.currentTimeMs()).toBeLessThanOrEqual(Math.max(0, pausedAt - 4900))
})

test('n jumps to the next exception and the player opens straight at the first one', async ({ page }) => {
  const session = manifest.ground_truth.sessions_with_exceptions.find((s) => s.exceptions >= 2 && s.has_recording)
  if (!session) throw new Error('the manifest lists no recorded session with two exceptions')
  const target = recording(session.session_id)
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await page.goto(`${server().origin}/#/recordings/${target.session_id}?at=exception`)
  const player = new PlayerPage(page)
  await player.waitLoaded()
  const firstOffsetMs = Date.parse(session.first_at) - Date.parse(target.start_time)
  await expect.poll(() => player.currentTimeMs()).toBeGreaterThanOrEqual(firstOffsetMs - 1)
  expect(await player.currentTimeMs()).toBeLessThan(firstOffsetMs + 250)
  await expect(player.overlay).toBeVisible()
  await expect(player.overlay.getByTestId('exception-message')).toHaveText(session.values[0] as string)

  const position = /(\d+) of (\d+)/.exec(await player.overlay.innerText())
  const index = Number(position?.[1])
  expect(index).toBeGreaterThan(0)
  await page.keyboard.press('n')
  await expect.poll(() => player.currentTimeMs()).toBeGreaterThan(firstOffsetMs + 50)
  await expect(player.overlay).toContainText(`${index + 1} of ${position?.[2]}`)
  await page.keyboard.press('p')
  await expect(player.overlay).toContainText(`${index} of ${position?.[2]}`)
})

test('a recording pressed in the list is asked for once, before the click (its timeline after the first frame), and a new time in its link asks for nothing again', async ({
  page
}) => {
  const target = [...manifest.recordings].sort((a, b) => b.duration_ms - a.duration_ms)[0]
  if (!target) throw new Error('no recordings in the manifest')
  const asked = new Map<string, number>()
  page.on('request', (request) => {
    const channel = /\/api\/invoke\/(recordings:get-(?:playback|timeline))$/.exec(new URL(request.url()).pathname)?.[1]
    if (channel) asked.set(channel, (asked.get(channel) ?? 0) + 1)
  })
  const list = new RecordingListPage(page)
  await list.open(server().url)
  // The requests go out while the row is pressed (before the click that opens it), and the screen takes them.
  const box = await list.row(target.session_id).boundingBox()
  if (!box) throw new Error('the row is not on screen')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const askedWhilePressed = page.waitForRequest((request) => request.url().endsWith('/recordings:get-playback'), { timeout: 5_000 })
  await page.mouse.down()
  await askedWhilePressed
  expect(page.url()).not.toContain(target.session_id)
  await page.mouse.up()
  const player = new PlayerPage(page)
  await player.waitLoaded()
  await expect(player.root).toHaveAttribute('data-recording-id', target.session_id)
  await player.pause()
  // The exceptions and inspector rows are asked for once the first frame is painted (building them competes with it).
  const timelineAskedAfterFirstFrame = await page.evaluate<boolean>(`(() => {
    const frame = performance.getEntriesByName('tapedeck:first-frame')[0]
    const asked = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('/recordings:get-timeline'))
    return Boolean(frame && asked && asked.startTime > frame.startTime)
  })()`)
  expect(timelineAskedAfterFirstFrame).toBe(true)

  const seconds = Math.floor(target.duration_ms / 2000)
  await page.evaluate(`location.hash = '#/recordings/${target.session_id}?t=${seconds}'`)
  await expect.poll(() => player.currentTimeMs()).toBe(seconds * 1000)
  expect(Object.fromEntries(asked)).toEqual({ 'recordings:get-playback': 1, 'recordings:get-timeline': 1 })
})
