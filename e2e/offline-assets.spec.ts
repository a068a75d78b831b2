/**
 * Offline assets, end to end: a recording whose images and stylesheet live on a local "site" is imported, `tapedeck
 * assets fetch` caches them, the site goes away, and the replay in Chromium still shows the image and applies the
 * stylesheet, served by the web host's `/assets` route, without a single request to any other host.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { PlayerPage } from './pages/player-page'
import { ACME_SMALL, PROJECT_ROOT } from './support/tapedeck-server'

const CLI = join(PROJECT_ROOT, 'bin', 'tapedeck')
const SESSION_ID = '01a13484-8534-7c1d-9d8d-d9cfc50a8d47'
const BORDER = 'rgb(12, 34, 56)'

// This project is type-checked without the DOM library; the little of it used in the page is spelled out (as
// casts: these callbacks run in the page and cannot call helpers from here).
type ImageLike = { complete: boolean; naturalWidth: number; currentSrc: string }
type WithComputedStyle = { getComputedStyle: (element: unknown) => { borderTopColor: string } }

let workDir: string
let siteOrigin: string
let siteRequests: string[] = []
let fetchOutput = ''
let serve: ChildProcess | undefined
let appUrl: string

/** The recorded site: an SVG for every image path, and one extra stylesheet that itself names an image. */
function startSite(): Promise<Server> {
  const server = createServer((req, res) => {
    siteRequests.push(req.url ?? '')
    if (req.url === '/extra.css') {
      res.writeHead(200, { 'content-type': 'text/css' })
      res.end(
        `.hero-img { border: 7px solid ${BORDER}; } .announcement { background-image: url(img/stripe.svg); }`
      )
    } else if (/^\/img\/[\w-]+\.svg$/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'image/svg+xml' })
      res.end(
        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="260"><rect width="320" height="260" fill="#e76f51"/></svg>'
      )
    } else {
      res.writeHead(404).end()
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

/** The acme-small recording moved to the local site, plus a `<link rel=stylesheet>` to its extra stylesheet. */
function writeRecording(file: string): void {
  const raw = readFileSync(join(ACME_SMALL, 'recordings', `${SESSION_ID}.json`), 'utf8')
  const exported = JSON.parse(raw.replaceAll('https://shop.acme.test', siteOrigin)) as {
    data: { snapshots: Array<{ type: number; data: { node?: unknown } }> }
  }
  let nextId = 9_000_000
  for (const event of exported.data.snapshots) {
    if (event.type !== 2) continue
    const stack = [event.data.node]
    while (stack.length > 0) {
      const node = stack.pop() as { tagName?: string; childNodes?: unknown[] } | undefined
      if (node?.tagName === 'head') {
        node.childNodes?.push({
          type: 2,
          tagName: 'link',
          attributes: { rel: 'stylesheet', href: `${siteOrigin}/extra.css` },
          childNodes: [],
          id: nextId++
        })
      }
      stack.push(...(node?.childNodes ?? []))
    }
  }
  writeFileSync(file, JSON.stringify(exported))
}

test.beforeAll(async () => {
  test.setTimeout(120_000)
  workDir = mkdtempSync(join(tmpdir(), 'tapedeck-assets-e2e-'))
  const dataDir = join(workDir, 'data')
  const site = await startSite()
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
  const recordingFile = join(workDir, `${SESSION_ID}.json`)
  writeRecording(recordingFile)

  const run = promisify(execFile)
  await run(process.execPath, [CLI, 'import', '--data', dataDir, recordingFile], {
    cwd: PROJECT_ROOT
  })
  fetchOutput = (
    await run(process.execPath, [CLI, 'assets', 'fetch', '--data', dataDir], { cwd: PROJECT_ROOT })
  ).stdout

  // The site goes away before anything is replayed.
  site.closeAllConnections()
  await new Promise<void>((resolve) => site.close(() => resolve()))
  siteRequests = []

  serve = spawn(process.execPath, [CLI, 'serve', '--data', dataDir, '--port', '0'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  appUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: serve?.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      const match = /^Tapedeck at (\S+)$/.exec(line)
      if (match) resolve(match[1] as string)
      else reject(new Error(`unexpected output from tapedeck serve: ${line}`))
    })
    serve?.once('exit', (code) => reject(new Error(`tapedeck serve exited with ${code}`)))
  })
})

test.afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve?.once('exit', resolve))
    serve.kill('SIGTERM')
    await exited
  }
  rmSync(workDir, { recursive: true, force: true })
})

test('a replay of a site that is gone shows its cached image and stylesheet, with no outside request', async ({
  page
}, testInfo) => {
  // Every image of the page, the stylesheet, and the image named inside it were fetched.
  expect(fetchOutput).toMatch(
    /^fetched (\d+) of \1 assets .*0 failed, 0 skipped, 1 found in stylesheets/m
  )

  const origin = new URL(appUrl).origin
  const outside: string[] = []
  const assetResponses = new Map<string, number>()
  const cspViolations: string[] = []
  page.context().on('request', (request) => {
    const url = request.url()
    if (!/^(data|blob|about):/.test(url) && !url.startsWith(`${origin}/`)) outside.push(url)
  })
  page.context().on('response', (response) => {
    const url = new URL(response.url())
    if (url.pathname === '/assets')
      assetResponses.set(url.searchParams.get('url') ?? '', response.status())
  })
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
  })

  await page.goto(appUrl)
  const player = new PlayerPage(page)
  await player.open(origin, SESSION_ID)
  await player.pause()

  const replay = page.frameLocator('iframe').first()
  const hero = replay.locator('img.hero-img')
  await expect(hero).toBeAttached()
  await expect
    .poll(
      () =>
        hero.evaluate((img) =>
          (img as unknown as ImageLike).complete ? (img as unknown as ImageLike).naturalWidth : -1
        ),
      {
        timeout: 15_000
      }
    )
    .toBe(320)
  expect(await hero.evaluate((img) => (img as unknown as ImageLike).currentSrc)).toBe(
    `${origin}/assets?url=${encodeURIComponent(`${siteOrigin}/img/hero.svg`)}`
  )
  // The stylesheet came from the cache too, and the image it names resolves through the cache as well.
  await expect
    .poll(
      () =>
        hero.evaluate(
          (img) => (globalThis as unknown as WithComputedStyle).getComputedStyle(img).borderTopColor
        ),
      { timeout: 10_000 }
    )
    .toBe(BORDER)
  await expect
    .poll(() => assetResponses.get(`${siteOrigin}/img/stripe.svg`), { timeout: 10_000 })
    .toBe(200)
  expect(assetResponses.get(`${siteOrigin}/img/hero.svg`)).toBe(200)
  expect(assetResponses.get(`${siteOrigin}/extra.css`)).toBe(200)

  await page.screenshot({ path: testInfo.outputPath('offline-replay.png') })
  expect(outside, 'requests to hosts other than the app').toEqual([])
  expect(siteRequests, 'requests that reached the recorded site').toEqual([])
  expect(cspViolations.filter((text) => text.includes(siteOrigin))).toEqual([])
})

test('the Sources screen shows what the asset cache holds', async ({ page }) => {
  const fetched = /^fetched (\d+) of/m.exec(fetchOutput)?.[1]
  expect(fetched).toBeDefined()
  await page.goto(appUrl)
  await page.goto(`${new URL(appUrl).origin}/#/sources`)
  const panel = page.getByTestId('offline-assets')
  await expect(panel).toContainText(`${fetched} of ${fetched} cached`)
  // Everything is cached, so there is nothing to fetch.
  await expect(panel.getByRole('button', { name: 'Fetch assets' })).toBeDisabled()
  await page.screenshot({ path: test.info().outputPath('sources-offline-assets.png') })
})
