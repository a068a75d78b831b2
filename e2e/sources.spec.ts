import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordingListPage } from './pages/recording-list-page'
import { SourcesPage } from './pages/sources-page'
import { expect, test, useTapedeck } from './support/fixtures'
import { readManifest } from './support/manifest'
import { ACME_SMALL } from './support/tapedeck-server'

const manifest = readManifest()
const [first, second, third, fourth] = manifest.recordings.map((r) => r.session_id)
const recordingFile = (id: string) => join(ACME_SMALL, 'recordings', `${id}.json`)

const server = useTapedeck({ fixtures: [recordingFile(first as string)] })

test('a watched folder is imported, and files dropped into it later appear without a restart', async ({
  page
}, testInfo) => {
  const folder = mkdtempSync(join(tmpdir(), 'tapedeck-e2e-watched-'))
  try {
    copyFileSync(recordingFile(second as string), join(folder, `${second}.json`))
    const list = new RecordingListPage(page)
    await list.open(server().url)
    await list.expectTotal(1)

    const sources = new SourcesPage(page)
    await sources.open(server().origin)
    await sources.addFolder(folder)
    const row = sources.row(folder)
    await expect(row.getByText('watched', { exact: true })).toBeVisible()
    await expect(row.getByText(/^Synced: 1 imported/)).toBeVisible({ timeout: 20_000 })
    await page.screenshot({ path: testInfo.outputPath('sources.png') })

    // Back on the list, a file and a folder dropped in show up by themselves.
    await page.getByRole('link', { name: 'Recordings' }).click()
    await list.waitReady()
    await list.expectTotal(2)
    copyFileSync(recordingFile(third as string), join(folder, `${third}.json`))
    mkdirSync(join(folder, 'later'))
    copyFileSync(recordingFile(fourth as string), join(folder, 'later', `${fourth}.json`))
    await expect(list.resultCount).toHaveText(/^4 recordings/, { timeout: 30_000 })
    expect((await list.renderedIds()).sort()).toEqual([first, second, third, fourth].sort())
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})

test('a folder that does not exist is refused with the reason', async ({ page }) => {
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const sources = new SourcesPage(page)
  await sources.open(server().origin)
  await sources.folderPath.fill('/no/such/folder/anywhere')
  await sources.addFolderButton.click()
  await expect(page.getByRole('alert')).toHaveText(
    /There is no folder at \/no\/such\/folder\/anywhere/
  )
})
