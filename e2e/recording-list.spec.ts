import { RecordingListPage } from './pages/recording-list-page'
import { expect, test, useTapedeck } from './support/fixtures'
import { readManifest, recordingsOfEmail } from './support/manifest'
import { ACME_SMALL } from './support/tapedeck-server'

const server = useTapedeck({ fixtures: [ACME_SMALL] })
const manifest = readManifest()

test('lists every imported recording, newest first, and saves a screenshot', async ({ page }, testInfo) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await list.expectTotal(manifest.recordings.length)
  const newestFirst = [...manifest.recordings].sort((a, b) => Date.parse(b.start_time) - Date.parse(a.start_time))
  const ids = await list.renderedIds()
  expect(ids.length).toBeGreaterThan(10)
  expect(ids).toEqual(newestFirst.slice(0, ids.length).map((r) => r.session_id))
  await page.screenshot({ path: testInfo.outputPath('recording-list.png') })
})

test('searching an email finds exactly that person’s recordings', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  for (const email of ['kai.brown@inbox.example.org', 'sara.costa@example.net', 'yuki.novak@mail.example.com']) {
    const expected = recordingsOfEmail(manifest, email).map((r) => r.session_id).sort()
    expect(expected.length).toBeGreaterThan(0)
    await list.search(email)
    await list.expectTotal(expected.length)
    await expect(list.rows).toHaveCount(expected.length)
    expect((await list.renderedIds()).sort()).toEqual(expected)
  }
})

test('filters narrow the list as the manifest says, and live in the URL', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)

  const withExceptions = manifest.recordings.filter((r) => r.exceptions > 0).map((r) => r.session_id).sort()
  await list.setCheckbox('Has exceptions', true)
  await expect(page).toHaveURL(/errors=1/)
  await list.expectTotal(withExceptions.length)
  expect((await list.renderedIds()).sort()).toEqual(withExceptions)

  await list.setCheckbox('Has exceptions', false)
  const withConsoleErrors = manifest.recordings.filter((r) => r.console_errors > 0).length
  await list.setCheckbox('Console errors', true)
  await list.expectTotal(withConsoleErrors)

  // Back restores the previous filters; forward re-applies them.
  await page.goBack()
  await list.expectTotal(manifest.recordings.length)
  await page.goForward()
  await list.expectTotal(withConsoleErrors)
  await list.setCheckbox('Console errors', false)

  const atLeastOneMinute = manifest.recordings.filter((r) => r.duration_ms >= 60_000).length
  await list.selectOption('Minimum duration', '60')
  await list.expectTotal(atLeastOneMinute)
  await list.selectOption('Minimum duration', '')

  const visitedCheckout = manifest.recordings.filter((r) => r.urls.some((u) => u.includes('/checkout'))).length
  await list.fillFilter('URL contains', '/checkout')
  await list.expectTotal(visitedCheckout)

  // A shared link opens with the same filters.
  const link = page.url()
  const fresh = await page.context().newPage()
  const other = new RecordingListPage(fresh)
  await fresh.goto(link)
  await other.waitReady()
  await other.expectTotal(visitedCheckout)
  await expect(fresh.getByLabel('URL contains', { exact: true })).toHaveValue('/checkout')
  await fresh.close()
})

test('sorting by duration puts the longest recordings first', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await list.sortBy('Duration')
  await expect(page).toHaveURL(/sort=longest/)
  const longestFirst = [...manifest.recordings].sort((a, b) => b.duration_ms - a.duration_ms).map((r) => r.session_id)
  await expect(list.rows.first()).toHaveAttribute('data-recording-id', longestFirst[0] as string)
  const ids = await list.renderedIds()
  expect(ids.slice(0, 5)).toEqual(longestFirst.slice(0, 5))

  await list.sortBy('Started')
  const newest = [...manifest.recordings].sort((a, b) => Date.parse(b.start_time) - Date.parse(a.start_time))[0]
  await expect(list.rows.first()).toHaveAttribute('data-recording-id', newest?.session_id as string)
  await list.sortBy('Started')
  await expect(page).toHaveURL(/sort=oldest/)
  const oldest = [...manifest.recordings].sort((a, b) => Date.parse(a.start_time) - Date.parse(b.start_time))[0]
  await expect(list.rows.first()).toHaveAttribute('data-recording-id', oldest?.session_id as string)
})

test('a search that matches nothing says so and offers a way back', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await list.search('zz-no-such-person-zz')
  await list.expectTotal(0)
  await expect(page.getByText('No recordings match')).toBeVisible()
  await page.getByRole('button', { name: 'Clear search and filters' }).click()
  await list.expectTotal(manifest.recordings.length)
  await expect(list.searchBox).toHaveValue('')
})
