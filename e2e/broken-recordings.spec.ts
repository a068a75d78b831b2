import Database from 'better-sqlite3'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PlayerPage } from './pages/player-page'
import { RecordingListPage } from './pages/recording-list-page'
import { expect, test, useTapedeck } from './support/fixtures'
import { ACME_SMALL } from './support/tapedeck-server'

const GOOD = '01a13124-d4cc-7a14-ba04-ef75b6b46018'
const DAMAGED = GOOD
const T = Date.UTC(2026, 9, 1, 9, 0, 0)

/** Exports of recordings that cannot be replayed: no full snapshot, a single event. */
function writeBrokenExports(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-broken-'))
  const exportOf = (id: string, snapshots: unknown[]) => JSON.stringify({ version: '2023-04-28', data: { id, person: null, snapshots } })
  const meta = { type: 4, timestamp: T, data: { href: 'https://x.test/', width: 800, height: 600 }, windowId: 'w1' }
  const moves = Array.from({ length: 8 }, (_, i) => ({
    type: 3,
    timestamp: T + (i + 1) * 1000,
    data: { source: 1, positions: [{ x: i, y: i, id: 1, timeOffset: 0 }] },
    windowId: 'w1'
  }))
  writeFileSync(join(dir, 'no-full-snapshot.json'), exportOf('broken-no-full-snapshot', [meta, ...moves]))
  writeFileSync(join(dir, 'one-event.json'), exportOf('broken-one-event', [{ ...meta, timestamp: T + 60_000 }]))
  return dir
}

const server = useTapedeck({
  fixtures: [writeBrokenExports(), join(ACME_SMALL, 'recordings', `${GOOD}.json`)],
  afterImport: (dataDir) => {
    // Damage the second chunk of a good recording, as a disk error would.
    const db = new Database(join(dataDir, 'cache.sqlite'))
    db.prepare(`UPDATE snapshot_chunks SET data = x'00ff00ff13' WHERE recording_id = ? AND seq = 1`).run(DAMAGED)
    db.close()
  }
})

test('recordings without a full snapshot or with one event say why instead of showing a blank frame', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await list.expectTotal(3)
  await expect(list.row('broken-no-full-snapshot').getByText('Broken')).toBeVisible()

  const player = new PlayerPage(page)
  for (const id of ['broken-no-full-snapshot', 'broken-one-event']) {
    await player.open(server().origin, id)
    await expect(player.root).toHaveAttribute('data-player-state', 'broken')
    await expect(page.getByTestId('player-broken')).toContainText(/full snapshot|single event/)
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowRight')
    await expect(page.getByTestId('player-broken')).toBeVisible()
  }

  // The rest of the app keeps working.
  await page.getByRole('link', { name: 'Recordings' }).click()
  await list.waitReady()
  await list.expectTotal(3)
})

test('a damaged chunk stops the replay at that part with a message; the parts before and after still play', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)
  await player.open(server().origin, DAMAGED, 0)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  await expect(page.getByTestId('player-broken')).toBeHidden()

  // The damaged chunk is the second of four (about 14 s to 27 s in).
  await player.clickSeekBarAt(20_000)
  await expect(page.getByTestId('player-broken')).toContainText(/could not be decoded/)
  await expect(player.root).toHaveAttribute('data-player-state', 'broken')

  await player.clickSeekBarAt((await player.durationMs()) - 2000)
  await expect(page.getByTestId('player-broken')).toBeHidden()
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
})

test('when the events and console output cannot be read, the inspector says so and the replay still plays', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await page.route('**/api/invoke/recordings:get-timeline', (route) =>
    route.fulfill({ status: 500, json: { error: 'The cache could not be read.' } })
  )
  const player = new PlayerPage(page)
  await player.open(server().origin, GOOD, 0)
  await expect(page.getByRole('complementary', { name: 'Inspector' }).getByRole('alert')).toContainText(
    /events and console output of this recording could not be loaded: The cache could not be read\./
  )
  await expect(page.getByTestId('player-broken')).toBeHidden()
  await player.clickSeekBarAt(5_000)
  await expect.poll(() => player.currentTimeMs()).toBe(5_000)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
})

test('an unknown recording id says it is not in the cache', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await page.goto(`${server().origin}/#/recordings/no-such-recording`)
  await list.waitReady()
  await expect(page.getByText('This recording is not in the cache')).toBeVisible()
})
