import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { writeLongRecording } from '../bench/generate-long-recording'
import { PlayerPage } from './pages/player-page'
import { RecordingListPage } from './pages/recording-list-page'
import { expect, test, useTapedeck } from './support/fixtures'

const ID = 'long-single-page-recording'
const DURATION_MS = 10 * 60 * 1000

const server = useTapedeck({
  generateFixtures: async (dir) => {
    const file = join(dir, `${ID}.json`)
    await writeLongRecording(file, { id: ID, incrementals: 30_000, durationMs: DURATION_MS, nodes: 2_500, seed: 3 })
    return [file]
  }
})

/** The replayed page's body, as HTML: what a viewer sees, node for node. */
async function replayedBody(page: Page): Promise<string> {
  return page
    .locator('.replay-viewport iframe')
    .evaluate((frame) => (frame as unknown as { contentDocument: { body: { innerHTML: string } } | null }).contentDocument?.body.innerHTML ?? '')
}

test('seeking through synthetic keyframes shows exactly what replaying from the start shows', async ({ page }) => {
  test.setTimeout(120_000)
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)

  // Opened at a time, before any keyframe exists: rrweb replays from the recording's only full snapshot.
  const seconds = [Math.round((DURATION_MS * 0.93) / 1000), Math.round((DURATION_MS * 0.55) / 1000)]
  const expected: string[] = []
  for (const t of seconds) {
    await player.open(server().origin, ID, t)
    await expect(player.root).toHaveAttribute('data-player-state', 'paused')
    expect(await player.currentTimeMs()).toBe(t * 1000)
    expected.push(await replayedBody(page))
  }
  expect(expected[0]).not.toEqual(expected[1])

  // Once the background index is built, the same seeks start from a synthetic keyframe.
  await expect(player.root).toHaveAttribute('data-keyframes', 'ready', { timeout: 90_000 })
  for (const [i, t] of seconds.entries()) {
    await page.keyboard.press('Home')
    await expect.poll(() => player.currentTimeMs()).toBe(0)
    await page.evaluate(`location.hash = '#/recordings/${ID}?t=${t}'`)
    await expect.poll(() => player.currentTimeMs()).toBe(t * 1000)
    await expect(player.root).toHaveAttribute('data-player-state', 'paused')
    expect(await page.evaluate(`performance.getEntriesByName('tapedeck:seek-plan').at(-1).detail`)).toBe('keyframe')
    expect(await replayedBody(page)).toEqual(expected[i])
  }
})
