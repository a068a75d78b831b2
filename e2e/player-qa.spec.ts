/**
 * Defects QA found in the player and the list (issue 3), each driven through the real web host with acme-small:
 * an exception after the recording's last event, Back/Forward through list filters, playback behind the shortcut
 * list, one duration in the list, header and clock, deep links past the end, and keys after clicking a control.
 */
import { PlayerPage } from './pages/player-page'
import { RecordingListPage } from './pages/recording-list-page'
import { expect, test, useTapedeck } from './support/fixtures'
import { readManifest } from './support/manifest'
import { ACME_SMALL } from './support/tapedeck-server'

const server = useTapedeck({ fixtures: [ACME_SMALL] })
const manifest = readManifest()

/** The recorded session whose exception is stamped at or after the recording's end (acme-small: 01a16329…). */
function exceptionAtEnd() {
  for (const session of manifest.ground_truth.sessions_with_exceptions) {
    const recording = manifest.recordings.find((r) => r.session_id === session.session_id)
    if (
      session.has_recording &&
      recording &&
      Date.parse(session.first_at) >= Date.parse(recording.end_time)
    ) {
      return { session, recording }
    }
  }
  throw new Error('the manifest lists no recording whose exception comes at its very end')
}

/** `m:ss` / `Ns` of a whole number of seconds, as a person reads them. */
function clockOf(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

test('an exception at the very end of a recording shows when seeking or playing to the end, and n reaches it', async ({
  page
}) => {
  const { session, recording } = exceptionAtEnd()
  const message = session.values[0] as string
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)
  await player.open(server().origin, recording.session_id, 0)
  await expect(player.overlay).toBeHidden()

  // End key: the playhead stops at the last event, before the exception's own time.
  await page.keyboard.press('End')
  await expect.poll(() => player.currentTimeMs()).toBe(recording.duration_ms)
  await expect(player.overlay).toBeVisible()
  await expect(player.overlay.getByTestId('exception-message')).toHaveText(message)

  // n from the start.
  await page.keyboard.press('Home')
  await expect(player.overlay).toBeHidden()
  await page.keyboard.press('n')
  await expect(player.overlay.getByTestId('exception-message')).toHaveText(message)

  // Playing through the end (from 3 s before it).
  await page.keyboard.press('Home')
  await expect(player.overlay).toBeHidden()
  await player.clickSeekBarAt(recording.duration_ms - 3000)
  await page.keyboard.press('Space')
  await expect(player.root).toHaveAttribute('data-player-state', 'ended', { timeout: 15_000 })
  await expect(player.overlay.getByTestId('exception-message')).toHaveText(message)
})

test('every filter, sort and search change is a history entry that Back and Forward restore', async ({
  page
}) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const all = await list.total()
  const minDuration = page.getByLabel('Minimum duration', { exact: true })
  const hasExceptions = page.getByLabel('Has exceptions')

  await list.selectOption('Minimum duration', '30')
  await expect(page).toHaveURL(/minDur=30/)
  const longer = await list.total()
  expect(longer).toBeLessThan(all)
  await list.setCheckbox('Has exceptions', true)
  const withErrors = await list.total()
  expect(withErrors).toBeLessThan(longer)
  // Typing a search in one go is one entry, not one per keystroke.
  await list.searchBox.pressSequentially('shop', { delay: 150 })
  await expect(page).toHaveURL(/q=shop/)
  await list.waitReady()
  await list.sortBy('Duration')
  await expect(page).toHaveURL(/sort=longest/)

  await page.goBack()
  await expect(page).not.toHaveURL(/sort=/)
  await expect(list.searchBox).toHaveValue('shop')
  await page.goBack()
  await expect(page).not.toHaveURL(/q=/)
  await expect(list.searchBox).toHaveValue('')
  await expect(hasExceptions).toBeChecked()
  await list.expectTotal(withErrors)
  await page.goBack()
  await expect(hasExceptions).not.toBeChecked()
  await expect(minDuration).toHaveValue('30')
  await list.expectTotal(longer)
  await page.goBack()
  await expect(minDuration).toHaveValue('')
  await list.expectTotal(all)

  await page.goForward()
  await expect(minDuration).toHaveValue('30')
  await list.expectTotal(longer)
  await page.goForward()
  await page.goForward()
  await expect(list.searchBox).toHaveValue('shop')
  await expect(hasExceptions).toBeChecked()

  // The player's ← returns to the list as it was left.
  const first = list.rows.first()
  await first.click()
  await new PlayerPage(page).waitLoaded()
  await page.getByTitle('Back to the list, with its filters').click()
  await expect(page).toHaveURL(/q=shop/)
  await expect(hasExceptions).toBeChecked()
})

test('the shortcut list pauses playback, keeps other keys from the player, and closing it resumes', async ({
  page
}) => {
  const target = [...manifest.recordings].sort((a, b) => b.duration_ms - a.duration_ms)[0]
  if (!target) throw new Error('no recordings in the manifest')
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)
  await player.open(server().origin, target.session_id, 5)
  await page.keyboard.press('Space')
  await expect(player.root).toHaveAttribute('data-player-state', 'playing')

  await page.keyboard.press('?')
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog).toBeVisible()
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  const pausedAtMs = await player.currentTimeMs()
  for (const key of ['ArrowRight', 'n', '4', 'End', 'Space']) await page.keyboard.press(key)
  await page.waitForTimeout(700)
  expect(await player.currentTimeMs()).toBe(pausedAtMs)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  await expect(page.getByLabel('Playback speed')).toHaveValue('1')
  await expect(dialog).toBeVisible()

  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(player.root).toHaveAttribute('data-player-state', 'playing')
  await expect.poll(() => player.currentTimeMs()).toBeGreaterThan(pausedAtMs + 200)

  // `?` closes it as well; opened while paused, it stays paused.
  await page.keyboard.press('Space')
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  await page.keyboard.press('?')
  await expect(dialog).toBeVisible()
  await page.keyboard.press('?')
  await expect(dialog).toBeHidden()
  await page.waitForTimeout(300)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
})

test('the list, the header and the clock show one duration', async ({ page }) => {
  const { recording } = exceptionAtEnd()
  // 54 627 ms: rounded it was "55s" in the list and header while the clock ended at 0:54.
  const seconds = Math.floor(recording.duration_ms / 1000)
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await expect(list.row(recording.session_id).locator('.col-duration')).toHaveText(`${seconds}s`)
  await list.row(recording.session_id).click()
  const player = new PlayerPage(page)
  await player.waitLoaded()
  await expect(page.getByTestId('player-duration')).toHaveText(`${seconds}s`)
  await expect(page.locator('.clock-total')).toHaveText(`/ ${clockOf(seconds)}`)
  await page.keyboard.press('End')
  await expect(page.getByTestId('player-clock')).toHaveText(clockOf(seconds))
})

test('a deep link past the end opens at the end, and play from there starts over', async ({
  page
}) => {
  const { session, recording } = exceptionAtEnd()
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)
  await player.open(server().origin, recording.session_id, 9999)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  expect(await player.currentTimeMs()).toBe(recording.duration_ms)
  await expect(player.overlay.getByTestId('exception-message')).toHaveText(
    session.values[0] as string
  )
  await page.keyboard.press('Space')
  await expect(player.root).toHaveAttribute('data-player-state', 'playing')
  await expect.poll(() => player.currentTimeMs()).toBeLessThan(recording.duration_ms / 2)
  await expect(player.overlay).toBeHidden()
})

test('after clicking a control, the keys still drive the player', async ({ page }) => {
  const target = [...manifest.recordings].sort((a, b) => b.duration_ms - a.duration_ms)[0]
  if (!target) throw new Error('no recordings in the manifest')
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)
  await player.open(server().origin, target.session_id, 5)

  // Clicking "Skip inactivity" leaves focus on the checkbox: Space used to toggle it and 1–6 did nothing.
  const skip = page.locator('label', { hasText: 'Skip inactivity' }).locator('input')
  await skip.click()
  await expect(skip).not.toBeChecked()
  await page.keyboard.press('Space')
  await expect(player.root).toHaveAttribute('data-player-state', 'playing')
  await expect(skip).not.toBeChecked()
  await page.keyboard.press('4')
  await expect(page.getByLabel('Playback speed')).toHaveValue('4')

  // Picking a speed with the mouse: ←/→ seek again instead of changing the speed.
  const speed = page.getByLabel('Playback speed')
  await speed.click()
  await speed.selectOption('1')
  await expect(speed).not.toBeFocused()
  await page.keyboard.press('Space')
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  const before = await player.currentTimeMs()
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => player.currentTimeMs()).toBeGreaterThanOrEqual(before + 4900)
  await expect(page.getByLabel('Playback speed')).toHaveValue('1')
})
