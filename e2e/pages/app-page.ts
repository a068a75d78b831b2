import { expect, type Page } from '@playwright/test'

/** What every screen shares: the readiness flag on the shell's root. */
export class AppPage {
  constructor(readonly page: Page) {}

  /** Waits until the current screen shows its data (`data-app-state="ready"`). */
  async waitReady(): Promise<void> {
    await expect(this.page.locator('[data-app-state="ready"]')).toBeVisible({ timeout: 20_000 })
  }
}
