/**
 * The desktop app itself, through Playwright's Electron driver: it starts on the demo data with every security
 * setting on, exposes only the contract, refuses bad calls, navigation and outside requests, and opens files named
 * on its command line ("Open with").
 *
 * Runs only where an Electron binary exists (ELECTRON_OVERRIDE_DIST_PATH, or the one the electron package
 * downloaded); on Linux without a display it runs under xvfb-run. Otherwise it is reported as skipped, with why.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page
} from '@playwright/test'
import { findElectronBinary } from '../src-main/electron/electron-binary'
import { prepareElectronNative } from '../scripts/prepare-electron-native.mjs'
import { PROJECT_ROOT } from './support/tapedeck-server'

const binary = findElectronBinary({
  electronPackageDir: join(PROJECT_ROOT, 'node_modules', 'electron')
})
const SKIP_REASON = binary.found ? '' : `Electron e2e not run: ${binary.reason}`
// Printed once, by the runner process as it collects the tests (workers never load a fully skipped file's tests).
if (!binary.found && process.env.TEST_WORKER_INDEX === undefined) console.log(SKIP_REASON)

// The page is typed without the DOM library here; these are the few shapes the checks touch.
type DesktopWindow = {
  desktop: { invoke: (channel: string, ...args: unknown[]) => Promise<unknown> }
  open: (url: string) => unknown
  fetch: (url: string) => Promise<unknown>
  location: { href: string }
}

let workDir: string
let executablePath: string
let nativeBinding: string

test.describe('desktop app (Electron)', () => {
  test.skip(!binary.found, SKIP_REASON)

  test.beforeAll(() => {
    test.setTimeout(300_000)
    if (!binary.found) return
    workDir = mkdtempSync(join(tmpdir(), 'tapedeck-electron-e2e-'))
    if (
      !existsSync(join(PROJECT_ROOT, 'out', 'main', 'index.js')) ||
      !existsSync(join(PROJECT_ROOT, 'out', 'preload', 'index.cjs'))
    ) {
      const build = spawnSync(
        process.execPath,
        [join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
        {
          cwd: PROJECT_ROOT,
          stdio: 'inherit'
        }
      )
      if (build.status !== 0) throw new Error('electron-vite build failed')
    }
    const native = prepareElectronNative({ root: PROJECT_ROOT })
    if (!native.ok) throw new Error(`no Electron build of better-sqlite3: ${native.reason}`)
    nativeBinding = native.path
    executablePath = binary.path
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      executablePath = join(workDir, 'electron-under-xvfb.sh')
      writeFileSync(
        executablePath,
        `#!/bin/sh\nexec xvfb-run -a --server-args="-screen 0 1440x900x24" "${binary.path}" "$@"\n`
      )
      chmodSync(executablePath, 0o755)
    }
  })

  test.afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true })
  })

  async function launch(
    dataName: string,
    extraArgs: string[] = []
  ): Promise<{ app: ElectronApplication; page: Page }> {
    const app = await electron.launch({
      executablePath,
      args: [PROJECT_ROOT, ...extraArgs],
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TAPEDECK_DATA: join(workDir, dataName),
        TAPEDECK_NATIVE_BINDING: nativeBinding
      },
      timeout: 60_000
    })
    const page = await app.firstWindow()
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible({ timeout: 60_000 })
    return { app, page }
  }

  test('starts on the demo data with the security settings on and only the contract exposed', async () => {
    const testInfo = test.info()
    const { app, page } = await launch('security')
    try {
      await expect(page.getByTestId('recording-row').first()).toBeVisible()
      expect(page.url()).toMatch(/^app:\/\/tapedeck\//)

      // The web preferences themselves are unit-tested (web-preferences.test.ts); here, their effect on the page.
      const exposed = await page.evaluate(() => ({
        require: typeof (globalThis as Record<string, unknown>).require,
        process: typeof (globalThis as Record<string, unknown>).process,
        desktop: Object.keys((globalThis as unknown as DesktopWindow).desktop).sort()
      }))
      expect(exposed).toEqual({
        require: 'undefined',
        process: 'undefined',
        desktop: ['invoke', 'on']
      })

      const calls = await page.evaluate(async () => {
        const { desktop } = globalThis as unknown as DesktopWindow
        const outcome = (p: Promise<unknown>) =>
          p.then(
            () => 'resolved',
            (e: Error) => `rejected: ${e.message}`
          )
        return {
          info: await desktop
            .invoke('app:get-info')
            .then((info) => (info as { shell: string }).shell),
          unknown: await outcome(desktop.invoke('fs:read', '/etc/passwd')),
          invalid: await outcome(desktop.invoke('recordings:mark-viewed', 42, 'yes'))
        }
      })
      expect(calls.info).toBe('electron')
      expect(calls.unknown).toMatch(/rejected: .*unknown channel/)
      expect(calls.invalid).toMatch(/rejected: .*invalid arguments/)

      const outside = await page.evaluate(async () => {
        const page = globalThis as unknown as DesktopWindow
        const opened = page.open('https://example.test/')
        const fetched = await page.fetch('https://example.test/').then(
          () => 'reached',
          () => 'blocked'
        )
        return { opened: opened === null, fetched }
      })
      expect(outside).toEqual({ opened: true, fetched: 'blocked' })
      const before = page.url()
      await page.evaluate(() => {
        ;(globalThis as unknown as DesktopWindow).location.href = 'file:///etc/passwd'
      })
      await page.waitForTimeout(500) // a refused navigation leaves nothing to wait for
      expect(page.url()).toBe(before)
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(
        1
      )

      // The native menu (its template is unit-tested in menu-template.test.ts): what Electron actually installed.
      const menu = await app.evaluate(({ Menu }) =>
        (Menu.getApplicationMenu()?.items ?? []).map((item) => ({
          label: item.label,
          items: (item.submenu?.items ?? []).map((child) => child.label)
        }))
      )
      const submenu = (label: string) => menu.find((item) => item.label === label)?.items ?? []
      expect(submenu('File')).toEqual(
        expect.arrayContaining(['Open Export…', 'Add Sync Folder…', 'Open Recent'])
      )
      expect(submenu('Help')).toEqual(
        expect.arrayContaining(['Open Data Folder', 'Report a Problem…'])
      )
      expect(menu.map((item) => item.label)).toEqual(
        expect.arrayContaining(['Edit', 'View', 'Window'])
      )

      await page.screenshot({ path: testInfo.outputPath('electron-list.png') })
    } finally {
      await app.close()
    }
  })

  test('imports a file named on the command line ("Open with")', async () => {
    const file = join(
      PROJECT_ROOT,
      'test',
      'fixtures',
      'samples',
      'rrweb-io__rrweb__packages__rrweb-player__public__events.json'
    )
    const { app, page } = await launch('open-with', [file])
    try {
      await expect
        .poll(
          () =>
            page.evaluate(async () => {
              const { desktop } = globalThis as unknown as DesktopWindow
              const log = (await desktop.invoke('imports:list', {})) as Array<{
                file: string
                status: string
              }>
              return log.map((entry) => `${entry.status} ${entry.file.split('/').pop()}`)
            }),
          { timeout: 60_000 }
        )
        .toContain('imported rrweb-io__rrweb__packages__rrweb-player__public__events.json')
    } finally {
      await app.close()
    }
  })
})
