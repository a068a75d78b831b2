import { expect, type Locator, type Page } from '@playwright/test'
import { AppPage } from './app-page'

/** The Sources screen: the configured sources, the sync bar, the add forms. */
export class SourcesPage extends AppPage {
  readonly list: Locator
  readonly folderPath: Locator
  readonly addFolderButton: Locator
  readonly syncAllButton: Locator

  constructor(page: Page) {
    super(page)
    this.list = page.getByTestId('sources-list')
    this.folderPath = page.getByTestId('add-folder-form').getByLabel('Folder path')
    this.addFolderButton = page
      .getByTestId('add-folder-form')
      .getByRole('button', { name: 'Add folder' })
    this.syncAllButton = page.getByRole('button', { name: 'Sync all' })
  }

  /** Opens the screen (the app must have been opened with its token URL in this page before). */
  async open(origin: string): Promise<void> {
    await this.page.goto(`${origin}/#/sources`)
    await this.waitReady()
    await expect(this.page.getByRole('heading', { name: 'Sources', level: 1 })).toBeVisible()
  }

  async addFolder(path: string): Promise<void> {
    await this.folderPath.fill(path)
    await this.addFolderButton.click()
    await expect(this.list.getByText(path)).toBeVisible()
  }

  /** The row of the source at `location`. */
  row(location: string): Locator {
    return this.list.getByRole('listitem').filter({ hasText: location })
  }
}
