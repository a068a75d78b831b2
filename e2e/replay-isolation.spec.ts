/**
 * Replay isolation (issue 7): a recording crafted to attack the viewer is replayed in Chromium through the real web
 * host and player. Every attack either runs a script (which would change the app's title, set a flag on the app's
 * window, open a dialog, or call a beacon) or loads something from another origin (the beacon, a server on
 * 127.0.0.1 that records every request). The test passes when the crafted page is on screen, played to its end,
 * with its console shown in the inspector, and none of that happened.
 */
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { PlayerPage } from './pages/player-page'
import { RecordingListPage } from './pages/recording-list-page'
import { expect, test, useTapedeck } from './support/fixtures'

const SESSION_ID = '0190eeee-0000-7000-8000-00000000a77a'
const T0 = Date.UTC(2026, 9, 20, 10, 0, 0)
const END_OFFSET_MS = 3000

let beacon: Server | undefined
let beaconOrigin = ''
const beaconHits: string[] = []

type Node = Record<string, unknown>
let nextId = 1
const el = (
  tagName: string,
  attributes: Record<string, string> = {},
  childNodes: Node[] = []
): Node => ({
  type: 2,
  tagName,
  attributes,
  childNodes,
  id: nextId++
})
const text = (textContent: string, extra: Record<string, unknown> = {}): Node => ({
  type: 3,
  textContent,
  id: nextId++,
  ...extra
})

/** What a script in the replay would do: leave marks on the app's window and call the beacon. */
function payload(tag: string): string {
  return `window.top.document.title='PWNED-${tag}';window.top.__pwned='${tag}';alert('${tag}');new Image().src='${beaconOrigin}/${tag}'`
}

/** The crafted recording: a V2 export whose page tries every way to run a script or reach another origin. */
function craftRecording(): object {
  nextId = 1
  const b = (path: string) => `${beaconOrigin}/${path}`
  const css =
    `@import url("${b('css-import.css')}");` +
    `body{background:url(${b('css-bg.png')})}` +
    `@font-face{font-family:x;src:url(${b('css-font.woff')})}` +
    `.x{behavior:url(${b('css-htc')});background-image:image-set("${b('css-image-set.png')}" 1x)}`
  const style = el('style', {}, [text(css, { isStyle: true })])
  const head = el('head', {}, [
    el('base', { href: `${beaconOrigin}/` }),
    el('meta', { 'http-equiv': 'refresh', content: `0;url=${b('meta-refresh')}` }),
    el('meta', { 'http-equiv': 'Refresh', content: `1; URL='${b('meta-refresh-2')}'` }),
    el('link', { rel: 'stylesheet', href: b('link.css') }),
    el('link', {
      rel: 'stylesheet',
      href: b('link-cssText.css'),
      _cssText: `div{background:url(${b('cssText.png')})}`
    }),
    ...[
      'prefetch',
      'preload',
      'preconnect',
      'dns-prefetch',
      'prerender',
      'modulepreload',
      'icon',
      'manifest',
      'apple-touch-icon'
    ].map((rel) => el('link', { rel, href: b(`link-${rel}`), as: 'image' })),
    style,
    el('script', {}, [text(payload('script-inline'))]),
    el('script', { src: b('script-src.js') }),
    el('noscript', {}, [text(`<img src="${b('noscript.png')}">`)])
  ])
  const body = el(
    'body',
    { onload: payload('body-onload'), background: b('body-background.png') },
    [
      el('h1', { id: 'crafted-marker' }, [text('Crafted page')]),
      el('img', { src: 'x', onerror: payload('img-onerror') }),
      el('img', { src: 'relative-to-base.png' }),
      el('img', { srcset: `${b('srcset-1x.png')} 1x, ${b('srcset-2x.png')} 2x` }),
      el('picture', {}, [
        el('source', { srcset: b('picture-source.png') }),
        el('img', { src: b('picture-img.png') })
      ]),
      el('div', { style: `background-image:url(${b('inline-style.png')});width:10px;height:10px` }),
      el('a', { id: 'js-link', href: `javascript:${payload('javascript-href')}` }, [
        text('javascript: link')
      ]),
      el('a', { href: b('ping-target'), ping: b('ping') }, [text('ping')]),
      el('iframe', { src: `javascript:${payload('iframe-javascript')}` }),
      el('iframe', {
        srcdoc: `<script>${payload('iframe-srcdoc')}</script><img src="${b('srcdoc-img.png')}">`
      }),
      el('iframe', { src: b('iframe-src.html') }),
      el('frame', { src: b('frame-src.html') }),
      el('object', { data: b('object-data') }),
      el('embed', { src: b('embed-src') }),
      el('video', { src: b('video.mp4'), poster: b('video-poster.png'), autoplay: '' }, [
        el('track', { src: b('track.vtt') })
      ]),
      el('audio', { src: b('audio.mp3'), autoplay: '' }),
      el('input', { type: 'image', src: b('input-image.png') }),
      el('input', { autofocus: '', onfocus: payload('input-onfocus') }),
      el('details', { open: '', ontoggle: payload('details-ontoggle') }, [text('details')]),
      el('table', { background: b('table-background.png') }),
      el('form', { action: b('form-action'), id: 'form' }, [
        el('button', { type: 'submit' }, [text('go')])
      ]),
      {
        type: 2,
        tagName: 'svg',
        isSVG: true,
        attributes: { onload: payload('svg-onload'), width: '10', height: '10' },
        childNodes: [
          {
            type: 2,
            tagName: 'image',
            isSVG: true,
            attributes: { href: b('svg-image.png'), 'xlink:href': b('svg-xlink.png') },
            childNodes: [],
            id: nextId++
          },
          {
            type: 2,
            tagName: 'use',
            isSVG: true,
            attributes: { href: `${b('svg-use.svg')}#x` },
            childNodes: [],
            id: nextId++
          }
        ],
        id: nextId++
      }
    ]
  )
  const html = el('html', {}, [head, body])
  const documentNode = {
    type: 0,
    childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: nextId++ }, html],
    id: nextId++
  }
  const imgId = (body.childNodes as Node[])[1]?.id as number
  const bodyId = body.id as number
  const events = [
    {
      type: 4,
      timestamp: T0,
      data: { href: `javascript:${payload('meta-href')}`, width: 1200, height: 800 }
    },
    {
      type: 2,
      timestamp: T0 + 1,
      data: { node: documentNode, initialOffset: { top: 0, left: 0 } }
    },
    {
      type: 3,
      timestamp: T0 + 500,
      data: {
        source: 0,
        texts: [],
        removes: [],
        attributes: [
          {
            id: imgId,
            attributes: { src: b('mutation-attr.png'), onerror: payload('mutation-onerror') }
          }
        ],
        adds: [
          {
            parentId: bodyId,
            nextId: null,
            node: {
              type: 2,
              tagName: 'script',
              attributes: { src: b('mutation-script.js') },
              childNodes: [],
              id: 9001
            }
          },
          {
            parentId: bodyId,
            nextId: null,
            node: {
              type: 2,
              tagName: 'img',
              attributes: { src: b('mutation-img.png'), onload: payload('mutation-onload') },
              childNodes: [],
              id: 9002
            }
          },
          {
            parentId: bodyId,
            nextId: null,
            node: {
              type: 2,
              tagName: 'iframe',
              attributes: { srcdoc: `<script>${payload('mutation-srcdoc')}</script>` },
              childNodes: [],
              id: 9003
            }
          },
          {
            parentId: bodyId,
            nextId: null,
            node: {
              type: 2,
              tagName: 'link',
              attributes: { rel: 'prefetch', href: b('mutation-prefetch') },
              childNodes: [],
              id: 9004
            }
          }
        ]
      }
    },
    {
      type: 3,
      timestamp: T0 + 900,
      data: {
        source: 0,
        texts: [],
        removes: [],
        adds: [],
        attributes: [
          {
            id: 9003,
            attributes: {
              srcdoc: `<img src="${b('mutation-srcdoc-2.png')}">`,
              src: b('mutation-iframe-src')
            }
          }
        ]
      }
    },
    {
      type: 3,
      timestamp: T0 + 1000,
      data: {
        source: 8,
        id: style.id,
        adds: [{ rule: `h1{background:url(${b('stylesheet-rule.png')})}`, index: 0 }]
      }
    },
    { type: 3, timestamp: T0 + 1100, data: { source: 2, type: 2, id: 9002, x: 5, y: 5 } },
    {
      type: 6,
      timestamp: T0 + 1200,
      data: {
        plugin: 'rrweb/console@1',
        payload: {
          level: 'error',
          payload: [`"<img src=x onerror=\\"${payload('console-html').replace(/"/g, '\\"')}\\">"`],
          trace: [`<script>${payload('console-trace')}</script>`]
        }
      }
    },
    {
      type: 5,
      timestamp: T0 + 1300,
      data: {
        tag: `<img src=x onerror="${payload('custom-tag')}">`,
        payload: { href: `javascript:${payload('custom-href')}` }
      }
    },
    {
      type: 3,
      timestamp: T0 + END_OFFSET_MS,
      data: { source: 1, positions: [{ x: 1, y: 1, id: bodyId, timeOffset: 0 }] }
    }
  ]
  return {
    version: '2023-04-28',
    data: {
      id: SESSION_ID,
      person: {
        uuid: '0190eeee-0000-7000-8000-0000000000b1',
        distinct_ids: ['attacker'],
        properties: { email: '<img src=x onerror=alert(1)>@evil.test' }
      },
      snapshots: events
    }
  }
}

const server = useTapedeck({
  generateFixtures: async (dir) => {
    beacon = createServer((req, res) => {
      beaconHits.push(req.url ?? '')
      res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' })
      res.end('beacon')
    })
    await new Promise<void>((resolve) => beacon?.listen(0, '127.0.0.1', () => resolve()))
    beaconOrigin = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`
    const file = join(dir, `${SESSION_ID}.json`)
    writeFileSync(file, JSON.stringify(craftRecording()))
    return [file]
  }
})

test.afterAll(async () => {
  beacon?.closeAllConnections()
  await new Promise<void>((resolve) => (beacon ? beacon.close(() => resolve()) : resolve()))
})

test('a recording crafted to attack the viewer replays with no script run and no outside request', async ({
  page
}, testInfo) => {
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const appTitle = await page.title()

  const player = new PlayerPage(page)
  await player.open(server().origin, SESSION_ID)
  const frame = page.frameLocator('.replay-viewport iframe').first()
  // The crafted page is really on screen (so nothing below passes because nothing was replayed).
  await expect(frame.locator('#crafted-marker')).toHaveText('Crafted page')
  await expect(frame.locator('#js-link')).toBeAttached()
  // Played to its end: every mutation, the stylesheet rule and the console event went through the replayer.
  await expect
    .poll(() => player.currentTimeMs(), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(END_OFFSET_MS - 100)
  // The console and custom events shown in the inspector (the app's own UI, outside the sandbox).
  await page.getByRole('tab', { name: /Console/ }).click()
  await expect(page.getByTestId('inspector-row').first()).toBeVisible()
  await page.getByRole('tab', { name: /All/ }).click()
  await page.screenshot({ path: testInfo.outputPath('replay-isolation.png') })

  const sandbox = await page.locator('.replay-viewport iframe').first().getAttribute('sandbox')
  expect(sandbox ?? '').not.toContain('allow-scripts')
  expect(await page.title()).toBe(appTitle)
  expect(await page.evaluate('window.__pwned')).toBeUndefined()
  expect(dialogs).toEqual([])
  expect(beaconHits, 'requests that reached the beacon').toEqual([])
  // The auto fixture `outsideRequests` also fails the test on any request to another origin (the beacon included).
})

test('a viewer tabbing into the replay and pressing Enter on its links reaches nothing either', async ({
  browser
}) => {
  // The replay iframe takes no pointer events, but keyboard focus can enter it. Enter on a link with a `ping` makes
  // Chromium try the ping, which the app's CSP (connect-src 'self') blocks before it leaves the browser; the
  // navigation is blocked by frame-src 'self'. This runs in its own context, so each attempt can be checked to have
  // been blocked (the shared fixture would count attempts as requests).
  const context = await browser.newContext()
  const attempts: string[] = []
  const blocked = new Map<string, string>()
  const dialogs: string[] = []
  context.on('request', (request) => {
    if (
      !/^(data|blob|about|chrome-error):/.test(request.url()) &&
      !request.url().startsWith(`${server().origin}/`)
    )
      attempts.push(request.url())
  })
  context.on('requestfailed', (request) =>
    blocked.set(request.url(), request.failure()?.errorText ?? '')
  )
  try {
    const page = await context.newPage()
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await page.goto(server().url)
    const appTitle = await page.title()
    const player = new PlayerPage(page)
    await player.open(server().origin, SESSION_ID)
    const iframe = page.locator('.replay-viewport iframe').first()
    await expect(
      page.frameLocator('.replay-viewport iframe').first().locator('#crafted-marker')
    ).toHaveText('Crafted page')
    await iframe.focus()
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
    }
    await page.keyboard.press('Escape')

    await expect.poll(() => attempts.every((url) => blocked.has(url))).toBe(true)
    for (const url of attempts) expect(blocked.get(url), url).toBe('csp')
    expect(await page.title()).toBe(appTitle)
    expect(await page.evaluate('window.__pwned')).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(beaconHits, 'requests that reached the beacon').toEqual([])
  } finally {
    await context.close()
  }
})

test('control: the beacon records a request that does reach it', async ({ browser }) => {
  // A separate context, outside the no-outside-request fixture: proves the beacon above would have seen a hit.
  const context = await browser.newContext()
  try {
    const probe = await context.newPage()
    await probe.goto(`${beaconOrigin}/control-probe`)
    expect(beaconHits).toContain('/control-probe')
  } finally {
    await context.close()
    beaconHits.splice(0)
  }
})
