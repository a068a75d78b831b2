import { expect, type Locator, type Page } from '@playwright/test'
import { AppPage } from './app-page'

/** Opens the app with its token link (which sets the cookie), then goes to `target`. */
async function openAt(page: Page, url: string, target: string): Promise<void> {
  await page.goto(url)
  await page.goto(`${new URL(url).origin}/#${target}`)
}

/** A funnel step for the builder: an event and at most one property condition. */
export type StepInput = { event: string; property?: string; operator?: string; value?: string }

/** The Funnels screen: builder, chart, drill-down and funnel issues. */
export class FunnelPage extends AppPage {
  readonly steps: Locator
  readonly stepCounts: Locator
  readonly drilldown: Locator
  readonly drilldownPersons: Locator

  constructor(page: Page) {
    super(page)
    this.steps = page.getByTestId('funnel-step')
    this.stepCounts = page.getByTestId('funnel-step-count')
    this.drilldown = page.getByTestId('funnel-drilldown')
    this.drilldownPersons = page.getByTestId('funnel-person')
  }

  /** Opens the screen from the server's token link. */
  async open(url: string): Promise<void> {
    await openAt(this.page, url, '/funnels')
    await this.waitReady()
  }

  /** Fills the builder with `steps` and a window in days, and presses Calculate. */
  async build(steps: StepInput[], windowDays: number): Promise<void> {
    while ((await this.steps.count()) < steps.length) {
      await this.page.getByRole('button', { name: '+ Add step' }).click()
    }
    for (const [i, step] of steps.entries()) {
      await this.page.getByLabel(`Step ${i + 1} event`).fill(step.event)
      if (step.property) {
        await this.steps.nth(i).getByRole('button', { name: '+ Filter' }).click()
        await this.page.getByLabel(`Step ${i + 1} filter property`).fill(step.property)
        await this.page
          .getByLabel(`Step ${i + 1} filter operator`)
          .selectOption(step.operator ?? 'equals')
        await this.page.getByLabel(`Step ${i + 1} filter value`).fill(step.value ?? '')
      }
    }
    await this.page.getByLabel('Window unit').selectOption('days')
    await this.page.getByLabel('Conversion window').fill(String(windowDays))
    await this.page.getByRole('button', { name: 'Calculate' }).click()
    await this.waitReady()
  }

  async counts(): Promise<number[]> {
    return (await this.stepCounts.allTextContents()).map((text) =>
      Number(text.replace(/[^\d]/g, ''))
    )
  }

  /** Opens the drop-off after step `afterStep` (1-based). */
  async openDropoff(afterStep: number): Promise<void> {
    await this.page
      .getByTestId('dropoff-button')
      .nth(afterStep - 1)
      .click()
    await expect(this.drilldown).toBeVisible()
  }

  async drilldownPersonIds(): Promise<string[]> {
    return this.drilldownPersons.evaluateAll((rows) =>
      rows.map((row) => row.getAttribute('data-person-id') ?? '')
    )
  }
}

/** The Persons list and a person's page. */
export class PersonsPage extends AppPage {
  readonly rows: Locator
  constructor(page: Page) {
    super(page)
    this.rows = page.getByTestId('person-row')
  }

  /** Opens the screen from the server's token link. */
  async open(url: string): Promise<void> {
    await openAt(this.page, url, '/persons')
    await this.waitReady()
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Search persons').fill(text)
    await this.page.getByLabel('Search persons').press('Enter')
    await this.waitReady()
  }

  async tab(name: 'Recordings' | 'Events' | 'Timeline'): Promise<void> {
    await this.page.getByRole('tab', { name: new RegExp(`^${name}`) }).click()
    await this.waitReady()
  }
}

/** The Sessions screen. */
export class SessionsPage extends AppPage {
  /** Opens the screen from the server's token link. */
  async open(url: string): Promise<void> {
    await openAt(this.page, url, '/sessions')
    await this.waitReady()
  }

  async figure(testId: string): Promise<string> {
    return (await this.page.getByTestId(testId).textContent()) ?? ''
  }
}
