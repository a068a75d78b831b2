import { expect, type Locator, type Page } from '@playwright/test'
import { AppPage } from './app-page'

/** The recording list: search box, filters, rows. */
export class RecordingListPage extends AppPage {
  readonly searchBox: Locator
  readonly rows: Locator
  readonly resultCount: Locator

  constructor(page: Page) {
    super(page)
    this.searchBox = page.getByLabel('Search recordings')
    this.rows = page.getByTestId('recording-row')
    this.resultCount = page.getByTestId('result-count')
  }

  /** Opens the app with its token URL (this also stores the token cookie). */
  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await this.waitReady()
    await expect(this.searchBox).toBeVisible()
  }

  /** Opens the list at a hash target such as `/recordings?errors=1`. */
  async openAt(origin: string, target: string): Promise<void> {
    await this.page.goto(`${origin}/#${target}`)
    await this.waitReady()
  }

  async search(text: string): Promise<void> {
    await this.searchBox.fill(text)
    await this.searchBox.press('Enter')
    await expect(this.page).toHaveURL(new RegExp(`q=${encodeURIComponent(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    await this.waitReady()
  }

  /** The total the list reports ("12 recordings"). */
  async total(): Promise<number> {
    await expect(this.resultCount).toHaveText(/^\d[\d,]* recordings?/)
    return Number((await this.resultCount.innerText()).replace(/[^\d].*$/s, '').replace(/,/g, ''))
  }

  /** Waits for the list to report `n` recordings. */
  async expectTotal(n: number): Promise<void> {
    await expect(this.resultCount).toHaveText(new RegExp(`^${n.toLocaleString('en-US')} recordings?`))
  }

  /** Ids of the rows rendered now, top to bottom. */
  async renderedIds(): Promise<string[]> {
    const ids = await this.rows.evaluateAll((rows) =>
      rows
        .map((row) => ({ id: row.getAttribute('data-recording-id') ?? '', top: row.getBoundingClientRect().top }))
        .sort((a, b) => a.top - b.top)
        .map((row) => row.id)
    )
    return ids
  }

  row(id: string): Locator {
    return this.page.locator(`[data-testid="recording-row"][data-recording-id="${id}"]`)
  }

  async setCheckbox(label: 'Has exceptions' | 'Console errors', checked: boolean): Promise<void> {
    await this.page.getByLabel(label).setChecked(checked)
    await this.waitReady()
  }

  async selectOption(label: string, value: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).selectOption(value)
    await this.waitReady()
  }

  /** Types into a text filter (Person, URL contains, Performed event) and applies it. */
  async fillFilter(label: 'Person' | 'URL contains' | 'Performed event', value: string): Promise<void> {
    const input = this.page.getByLabel(label, { exact: true })
    await input.fill(value)
    await input.press('Enter')
    await this.waitReady()
  }

  async sortBy(column: 'Started' | 'Duration' | 'Active' | 'Issues'): Promise<void> {
    await this.page.getByRole('columnheader').getByRole('button', { name: column }).click()
    await this.waitReady()
  }
}
