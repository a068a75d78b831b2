import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { createRandom, writeLongRecording } from '../bench/generate-long-recording'
import { PlayerPage } from './pages/player-page'
import { RecordingListPage } from './pages/recording-list-page'
import { expect, test, useTapedeck } from './support/fixtures'

const LONG_ID = 'long-single-page-recording'
const RICH_ID = 'rich-mutations-recording'
/** A dashboard page (links, a form, tables): hover on the last click, form fields' attributes. */
const DASHBOARD_ID = 'dashboard-recording'
const DURATION_MS = 10 * 60 * 1000

/**
 * A recording whose mutations cover what a stored keyframe must carry over: adds whose parent or next sibling comes
 * later in the same batch, inserts after `previousId`, removes of subtrees, style objects (set, `!important`,
 * removed), attributes set and removed, texts, inputs (text, textarea, checkbox), an element's scroll, and an
 * iframe's document (attached after the full snapshot, then mutated). Mouse moves pad it to several chunks.
 */
function writeRichRecording(file: string): void {
  const random = createRandom(11)
  const start = Date.UTC(2026, 9, 21, 10, 0, 0)
  const events: object[] = []
  const text = (id: number, textContent: string) => ({ type: 3, id, textContent })
  const el = (
    id: number,
    tagName: string,
    attributes: Record<string, string>,
    childNodes: object[] = []
  ) => ({ type: 2, id, tagName, attributes, childNodes })
  events.push({
    type: 4,
    timestamp: start,
    data: { href: 'https://rich.test/', width: 1200, height: 800 }
  })
  events.push({
    type: 2,
    timestamp: start + 1,
    data: {
      initialOffset: { left: 0, top: 0 },
      node: {
        type: 0,
        id: 1,
        childNodes: [
          el(2, 'html', {}, [
            el(3, 'head', {}, [
              el(4, 'style', {}, [
                { ...text(5, '.card { color: blue; } li { margin: 2px; } li:hover { color: red; }'), isStyle: true }
              ])
            ]),
            el(6, 'body', {}, [
              el(7, 'div', { id: 'root', style: 'display: block; padding: 3px;' }, [
                el(8, 'ul', { class: 'list' }, [el(9, 'li', {}, [text(10, 'first')])])
              ]),
              el(20, 'textarea', { value: 'hello' }),
              el(21, 'input', { type: 'checkbox' }),
              el(22, 'input', { type: 'text', value: 'abc' }),
              el(23, 'div', { id: 'scroller', style: 'overflow: auto; height: 40px;' }, [
                el(24, 'div', { style: 'height: 400px;' }, [text(25, 'tall')])
              ]),
              el(26, 'iframe', {})
            ])
          ])
        ]
      }
    }
  })
  const mutation = (ts: number, data: object) =>
    events.push({
      type: 3,
      timestamp: ts,
      data: { source: 0, texts: [], attributes: [], removes: [], adds: [], ...data }
    })
  mutation(start + 10, {
    adds: [
      {
        parentId: 26,
        nextId: null,
        node: {
          type: 0,
          id: 100,
          childNodes: [
            el(101, 'html', {}, [
              el(102, 'head', {}),
              el(103, 'body', {}, [el(104, 'p', {}, [text(105, 'inside')])])
            ])
          ]
        }
      }
    ],
    isAttachIframe: true
  })
  let nextId = 1000
  const items: number[] = [9]
  const framed: number[] = [104]
  const total = 40_000
  for (let i = 0; i < total; i++) {
    const ts = start + 20 + Math.floor((i * (DURATION_MS - 40)) / total)
    if (i % 25 !== 0) {
      events.push({
        type: 3,
        timestamp: ts,
        data: {
          source: 1,
          positions: [
            { x: Math.floor(random() * 1200), y: Math.floor(random() * 800), id: 7, timeOffset: 0 }
          ]
        }
      })
      continue
    }
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
    switch ((i / 25) % 11) {
      case 0: {
        // A child listed before its parent, and the parent inserted before an existing item.
        const li = nextId++
        const span = nextId++
        mutation(ts, {
          adds: [
            { parentId: li, nextId: null, node: text(span, `item ${li}`) },
            { parentId: 8, nextId: pick(items), node: el(li, 'li', { class: 'card' }) }
          ]
        })
        items.push(li)
        break
      }
      case 1: {
        // `a` goes before `b`, which is added after it in the same batch.
        const a = nextId++
        const b = nextId++
        mutation(ts, {
          adds: [
            { parentId: 8, nextId: b, node: el(a, 'li', { 'data-n': 'a' }) },
            { parentId: 8, nextId: null, node: el(b, 'li', { 'data-n': 'b' }) }
          ]
        })
        items.push(a, b)
        break
      }
      case 2: {
        if (items.length < 4) break
        const index = 1 + Math.floor(random() * (items.length - 1))
        const [removed] = items.splice(index, 1)
        mutation(ts, { removes: [{ parentId: 8, id: removed }] })
        break
      }
      case 3:
        mutation(ts, {
          attributes: [
            {
              id: 7,
              attributes: {
                style:
                  random() < 0.5
                    ? { color: 'red', 'margin-left': ['4px', 'important'] }
                    : { color: false, padding: '5px', 'margin-left': false }
              }
            }
          ]
        })
        break
      case 4:
        mutation(ts, {
          attributes: [
            {
              id: pick(items),
              attributes:
                random() < 0.5
                  ? { title: `t${i}`, 'data-x': null }
                  : { title: null, 'data-x': String(i) }
            }
          ]
        })
        break
      case 5:
        mutation(ts, {
          texts: [
            { id: 10, value: `first ${i}` },
            { id: 25, value: `tall ${i}` }
          ]
        })
        break
      case 6:
        events.push({
          type: 3,
          timestamp: ts,
          data: { source: 5, id: pick([20, 22]), text: `typed ${i}`, isChecked: false }
        })
        events.push({
          type: 3,
          timestamp: ts,
          data: { source: 5, id: 21, text: '', isChecked: random() < 0.5 }
        })
        break
      case 7:
        events.push({
          type: 3,
          timestamp: ts,
          data: { source: 3, id: 23, x: 0, y: Math.floor(random() * 300) }
        })
        break
      case 8: {
        // Inside the iframe's document: a paragraph after a known one.
        const p = nextId++
        mutation(ts, {
          adds: [
            { parentId: 103, previousId: pick(framed), nextId: null, node: el(p, 'p', {}) },
            { parentId: p, nextId: null, node: text(nextId++, `p${p}`) }
          ]
        })
        framed.push(p)
        break
      }
      case 9: {
        // Insert after an item (its next sibling unknown to the recorder).
        const li = nextId++
        const after = pick(items)
        mutation(ts, {
          adds: [
            { parentId: 8, previousId: after, nextId: null, node: el(li, 'li', { class: 'after' }) }
          ]
        })
        items.push(li)
        break
      }
      default:
        mutation(ts, { attributes: [{ id: 8, attributes: { class: `list v${i % 7}` } }] })
    }
  }
  const snapshots = events.map((e) => ({ windowId: 'rich-window', ...e }))
  writeFileSync(
    file,
    JSON.stringify({
      version: '2023-04-28',
      data: {
        id: RICH_ID,
        person: { uuid: 'rich-person', distinct_ids: ['rich-person'], properties: {} },
        snapshots
      }
    })
  )
}

const server = useTapedeck({
  generateFixtures: async (dir) => {
    const long = join(dir, `${LONG_ID}.json`)
    await writeLongRecording(long, {
      id: LONG_ID,
      incrementals: 30_000,
      durationMs: DURATION_MS,
      nodes: 2_500,
      seed: 3,
      page: 'nested-flex'
    })
    const rich = join(dir, `${RICH_ID}.json`)
    writeRichRecording(rich)
    const dashboard = join(dir, `${DASHBOARD_ID}.json`)
    // With a framework's utility stylesheet inlined (~45 KB): big enough for the player to rewrite it in its worker.
    await writeLongRecording(dashboard, {
      id: DASHBOARD_ID,
      incrementals: 30_000,
      durationMs: DURATION_MS,
      seed: 5,
      page: 'dashboard',
      utilityRules: 600
    })
    return [long, rich, dashboard]
  }
})

/**
 * What a viewer sees of the replayed page, node for node: the document's HTML with each style attribute as the
 * browser parsed it (a style object is applied with `style.setProperty`, which re-serialises the declarations),
 * form values, element scroll positions and every iframe's document.
 */
async function replayedPage(page: Page): Promise<string> {
  // A script (the e2e code is typed without the DOM library).
  return page.evaluate<string>(`(() => {
    const describe = (doc) => {
      if (!doc || !doc.documentElement) return ''
      const clone = doc.documentElement.cloneNode(true)
      for (const el of clone.querySelectorAll('[style]')) el.setAttribute('style', el.style.cssText)
      const fields = [...doc.querySelectorAll('input, textarea')].map((f) => f.tagName + ':' + f.value + ':' + f.checked)
      const scrolls = [...doc.querySelectorAll('div')].map((d) => d.scrollTop)
      const frames = [...doc.querySelectorAll('iframe')].map((f) => describe(f.contentDocument))
      return [clone.outerHTML, fields.join('|'), scrolls.join(','), ...frames].join('\\n')
    }
    return describe(document.querySelector('.replay-viewport iframe').contentDocument)
  })()`)
}

/** Makes the player see no stored keyframes (as for a recording imported before they existed). */
async function hideStoredKeyframes(page: Page): Promise<void> {
  await page.route('**/api/invoke/recordings:get-keyframes', (route) => route.fulfill({ json: [] }))
}

/** The replayed page's body, as HTML (the synthetic keyframes' check: rrweb's own injected rules and hover classes in
 * `<html>` differ after a hidden Replayer's snapshot). */
async function replayedBody(page: Page): Promise<string> {
  return page
    .locator('.replay-viewport iframe')
    .evaluate(
      (frame) =>
        (frame as unknown as { contentDocument: { body: { innerHTML: string } } | null })
          .contentDocument?.body.innerHTML ?? ''
    )
}

async function lastSeekPlan(page: Page): Promise<unknown> {
  return page.evaluate(`performance.getEntriesByName('tapedeck:seek-plan').at(-1).detail`)
}

/** Opens `id` at each second of `seconds` and returns what is shown (paused) at each. */
/**
 * What is shown (paused) at each second of `seconds`, on a fresh page each time:
 * - `'replayed'`: opened cold at the time with `?seek=replay` and no stored keyframes: rrweb replays every event
 *   since the full snapshot itself (the reference);
 * - `'opened'`: opened cold at the time, as from a link;
 * - `'seeked'`: opened at the start, then seeked to the time (a new Replayer from the nearest keyframe).
 */
async function pagesAt(
  page: Page,
  player: PlayerPage,
  id: string,
  seconds: number[],
  how: 'replayed' | 'opened' | 'seeked',
  read: (page: Page) => Promise<string> = replayedPage
): Promise<{ shown: string[]; plans: unknown[] }> {
  const shown: string[] = []
  const plans: unknown[] = []
  for (const t of seconds) {
    await page.goto('about:blank')
    if (how === 'opened') await player.open(server().origin, id, t)
    else if (how === 'replayed') {
      await page.goto(
        `${server().origin}/?seek=replay#/recordings/${encodeURIComponent(id)}?t=${t}`
      )
      await player.waitLoaded()
    } else {
      await player.open(server().origin, id, 0)
      await player.pause()
      await page.evaluate(`location.hash = '#/recordings/${id}?t=${t}'`)
    }
    await expect.poll(() => player.currentTimeMs()).toBe(t * 1000)
    await expect(player.root).toHaveAttribute('data-player-state', 'paused')
    shown.push(await read(page))
    plans.push(await lastSeekPlan(page))
  }
  return { shown, plans }
}

for (const id of [LONG_ID, RICH_ID, DASHBOARD_ID]) {
  test(`${id}: opening or seeking through a stored keyframe shows exactly what replaying from the start shows`, async ({
    page
  }) => {
    test.setTimeout(180_000)
    const list = new RecordingListPage(page)
    await list.open(server().url)
    const player = new PlayerPage(page)
    const seconds = [0.12, 0.45, 0.62, 0.93, 0.999].map((f) => Math.round((DURATION_MS * f) / 1000))

    await hideStoredKeyframes(page)
    const expected = await pagesAt(page, player, id, seconds, 'replayed')
    expect(new Set(expected.shown).size).toBe(seconds.length)
    expect(expected.plans).toEqual(seconds.map(() => 'stored'))
    expect(
      await page.evaluate(`performance.getEntriesByName('tapedeck:seek-collapsed').length`)
    ).toBe(0)

    await page.unrouteAll()
    for (const how of ['opened', 'seeked'] as const) {
      const viaKeyframes = await pagesAt(page, player, id, seconds, how)
      // Past the first keyframe every open or seek starts from one (the first time is before it).
      expect(viaKeyframes.plans.slice(1)).toEqual(seconds.slice(1).map(() => 'imported'))
      const computed = await page.evaluate(
        `performance.getEntriesByName('tapedeck:seek-collapsed').length`
      )
      expect(computed).toBeGreaterThan(0)
      for (const [i, shown] of viaKeyframes.shown.entries())
        expect(shown, `${how} at ${seconds[i]} s`).toEqual(expected.shown[i])
    }
    await expect(player.root).toHaveAttribute('data-keyframes', 'ready')
  })
}

test('seeking through synthetic keyframes (no stored ones) shows exactly what replaying from the start shows', async ({
  page
}) => {
  test.setTimeout(120_000)
  const list = new RecordingListPage(page)
  await list.open(server().url)
  await hideStoredKeyframes(page)
  const player = new PlayerPage(page)

  // The reference: rrweb replays from the recording's only full snapshot, inside the Replayer opened at the start.
  const seconds = [Math.round((DURATION_MS * 0.93) / 1000), Math.round((DURATION_MS * 0.55) / 1000)]
  const { shown: expected } = await pagesAt(
    page,
    player,
    LONG_ID,
    seconds,
    'replayed',
    replayedBody
  )
  expect(expected[0]).not.toEqual(expected[1])

  // Once the background index is built, the same seeks start from a synthetic keyframe.
  await expect(player.root).toHaveAttribute('data-keyframes', 'ready', { timeout: 90_000 })
  for (const [i, t] of seconds.entries()) {
    await page.keyboard.press('Home')
    await expect.poll(() => player.currentTimeMs()).toBe(0)
    await page.evaluate(`location.hash = '#/recordings/${LONG_ID}?t=${t}'`)
    await expect.poll(() => player.currentTimeMs()).toBe(t * 1000)
    await expect(player.root).toHaveAttribute('data-player-state', 'paused')
    expect(await lastSeekPlan(page)).toBe('keyframe')
    expect(await replayedBody(page)).toEqual(expected[i])
  }
})

test('stylesheets rewritten for replay in a worker are exactly what rrweb makes of them itself', async ({ page }) => {
  test.setTimeout(120_000)
  const list = new RecordingListPage(page)
  await list.open(server().url)
  const player = new PlayerPage(page)
  const marks = (name: string) => page.evaluate<number>(`performance.getEntriesByName(${JSON.stringify(name)}).length`)
  const seconds = Math.round((DURATION_MS * 0.7) / 1000)

  // rrweb's own rewrite: the worker cannot load, so the player goes on without it.
  await page.route('**/style-worker-*.js', (route) => route.abort())
  await page.goto('about:blank')
  await player.open(server().origin, DASHBOARD_ID, seconds)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  const byRrweb = await replayedPage(page)
  expect(await marks('tapedeck:styles-prepared')).toBe(0)
  // The page's :hover rules were rewritten (rrweb toggles a .\:hover class on hovered elements).
  expect(byRrweb).toContain('.\\:hover')

  await page.unrouteAll()
  await page.goto('about:blank')
  await player.open(server().origin, DASHBOARD_ID, seconds)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  expect(await marks('tapedeck:styles-prepared')).toBeGreaterThan(0)
  expect(await replayedPage(page)).toEqual(byRrweb)

  // A few KB of rules are left to rrweb (cheaper than the round trip to the worker), and still rewritten.
  await page.goto('about:blank')
  await player.open(server().origin, RICH_ID, 1)
  await expect(player.root).toHaveAttribute('data-player-state', 'paused')
  expect(await marks('tapedeck:styles-prepared')).toBe(0)
  expect(await replayedPage(page)).toContain('.\\:hover')
})
