import { expect, type Locator, type Page } from '@playwright/test'
import { AppPage } from './app-page'

/** The player of one recording. */
export class PlayerPage extends AppPage {
  readonly root: Locator
  readonly seekBar: Locator
  readonly overlay: Locator
  readonly playButton: Locator

  constructor(page: Page) {
    super(page)
    this.root = page.getByTestId('player')
    this.seekBar = page.getByTestId('seek-bar')
    this.overlay = page.getByTestId('exception-overlay')
    this.playButton = page.getByRole('button', { name: /^(Play|Pause)$/ })
  }

  /** Opens `#/recordings/<id>` (optionally `?t=<seconds>`) and waits for the first frame. */
  async open(origin: string, id: string, seconds?: number): Promise<void> {
    await this.page.goto(`${origin}/#/recordings/${encodeURIComponent(id)}${seconds === undefined ? '' : `?t=${seconds}`}`)
    await this.waitLoaded()
  }

  async waitLoaded(): Promise<void> {
    await expect(this.root).toBeVisible()
    await this.waitReady()
  }

  async currentTimeMs(): Promise<number> {
    return Number(await this.root.getAttribute('data-current-time-ms'))
  }

  async state(): Promise<string | null> {
    return this.root.getAttribute('data-player-state')
  }

  async durationMs(): Promise<number> {
    return Number(await this.seekBar.getAttribute('data-duration-ms'))
  }

  async pause(): Promise<void> {
    if ((await this.state()) === 'playing') await this.page.getByRole('button', { name: 'Pause' }).click()
    await expect(this.root).not.toHaveAttribute('data-player-state', 'playing')
  }

  /** Clicks the seek bar where `offsetMs` (ms since the recording's start) is. */
  async clickSeekBarAt(offsetMs: number): Promise<void> {
    const box = await this.seekBar.boundingBox()
    if (!box) throw new Error('the seek bar is not visible')
    const fraction = Math.min(1, Math.max(0, offsetMs / (await this.durationMs())))
    await this.page.mouse.click(box.x + fraction * box.width, box.y + box.height / 2)
  }
}
