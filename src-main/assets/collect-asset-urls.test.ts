import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fixturePath } from '../test/test-db'
import {
  collectAssetUrls,
  collectRecordingAssetUrls,
  createAssetScanState
} from './collect-asset-urls'

type Snapshot = { type: number; data: unknown; windowId?: string }

function readRecording(file: string): { raw: string; snapshots: Snapshot[] } {
  const raw = readFileSync(fixturePath('acme-small', 'recordings', file), 'utf8')
  const parsed = JSON.parse(raw) as { data: { snapshots: Snapshot[] } }
  return { raw, snapshots: parsed.data.snapshots }
}

function collect(event: unknown, base?: string): string[] {
  const urls: string[] = []
  collectAssetUrls(event, (url) => urls.push(url), base)
  return urls
}

function element(
  tagName: string,
  attributes: Record<string, unknown>,
  childNodes: unknown[] = [],
  id = 1
) {
  return { type: 2, tagName, attributes, childNodes, id }
}

function fullSnapshot(...body: unknown[]) {
  return {
    type: 2,
    data: {
      node: {
        type: 0,
        id: 1,
        childNodes: [element('html', {}, [element('head', {}), element('body', {}, body)])]
      }
    }
  }
}

describe('collectAssetUrls on the acme-small recordings', () => {
  const files = readdirSync(fixturePath('acme-small', 'recordings')).filter((f) =>
    f.endsWith('.json')
  )

  it.each(files)('%s: finds exactly the image URLs the recording loads', (file) => {
    const { raw, snapshots } = readRecording(file)
    // Independent oracle: every absolute `src` attribute value in the file, except script sources.
    const expected = new Set(
      [...raw.matchAll(/"src":"(https?:\/\/[^"]+)"/g)]
        .map((m) => m[1])
        .filter((url) => !url.endsWith('.js'))
    )
    const byWindow = new Map<string, Snapshot[]>()
    for (const event of snapshots) {
      const list = byWindow.get(event.windowId ?? '') ?? []
      list.push(event)
      byWindow.set(event.windowId ?? '', list)
    }
    const found = new Set<string>()
    for (const events of byWindow.values()) collectRecordingAssetUrls(events, found)
    expect(found).toEqual(expected)
  })

  it('reports the shop images but never page links or the SDK script', () => {
    const { snapshots } = readRecording(files[0])
    const found = collectRecordingAssetUrls(snapshots)
    expect(found.has('https://shop.acme.test/img/hero.svg')).toBe(true)
    for (const url of found) expect(url).toMatch(/^https:\/\/shop\.acme\.test\/img\/[\w-]+\.svg$/)
  })

  it('does not change the events it reads', () => {
    const { snapshots } = readRecording(files[0])
    const before = JSON.stringify(snapshots)
    collectRecordingAssetUrls(snapshots)
    expect(JSON.stringify(snapshots)).toBe(before)
  })
})

describe('collectAssetUrls', () => {
  it('reads img srcset, picture sources, video posters, image inputs and stylesheet links', () => {
    const event = fullSnapshot(
      element('img', {
        src: 'https://a.test/1.png',
        srcset: 'https://a.test/1x.png 1x, https://a.test/2x.png 2x'
      }),
      element('picture', {}, [element('source', { srcset: 'https://a.test/wide.webp 800w' })]),
      element('video', { poster: 'https://a.test/poster.jpg', src: 'https://a.test/movie.mp4' }),
      element('input', { type: 'image', src: 'https://a.test/button.png' }),
      element('input', { type: 'text', src: 'https://a.test/not-an-image.png' }),
      element('link', { rel: 'stylesheet', href: 'https://a.test/site.css' }),
      element('link', { rel: 'canonical', href: 'https://a.test/page' }),
      element('a', { href: 'https://a.test/other-page' }),
      element('script', { src: 'https://a.test/app.js' })
    )
    expect(collect(event)).toEqual([
      'https://a.test/1.png',
      'https://a.test/1x.png',
      'https://a.test/2x.png',
      'https://a.test/wide.webp',
      'https://a.test/poster.jpg',
      'https://a.test/button.png',
      'https://a.test/site.css'
    ])
  })

  it('reads url() and @import in style text, _cssText and inline styles, resolving against the base', () => {
    const event = fullSnapshot(
      element('style', {}, [
        {
          type: 3,
          isStyle: true,
          id: 5,
          textContent: '@import "theme.css"; .a { background: url(img/a.png) }'
        }
      ]),
      element('link', { _cssText: '@font-face { src: url("/fonts/x.woff2") format("woff2") }' }),
      element('div', { style: "background-image: url('https://cdn.test/b.png')" }),
      element('div', { style: 'background: url(data:image/png;base64,AAAA)' })
    )
    expect(collect(event, 'https://shop.test/dir/page.html')).toEqual([
      'https://shop.test/dir/theme.css',
      'https://shop.test/dir/img/a.png',
      'https://shop.test/fonts/x.woff2',
      'https://cdn.test/b.png'
    ])
  })

  it('takes the base from the Meta event, and a <base href> over it', () => {
    const state = createAssetScanState()
    const urls: string[] = []
    const add = (url: string) => urls.push(url)
    collectAssetUrls(
      { type: 4, data: { href: 'https://shop.test/a/b', width: 1, height: 1 } },
      add,
      undefined,
      state
    )
    collectAssetUrls(fullSnapshot(element('img', { src: 'x.png' })), add, undefined, state)
    const withBase = {
      type: 2,
      data: {
        node: {
          type: 0,
          childNodes: [
            element('html', {}, [
              element('head', {}, [element('base', { href: '/static/' })]),
              element('body', {}, [element('img', { src: 'y.png' })])
            ])
          ]
        }
      }
    }
    collectAssetUrls(withBase, add, undefined, state)
    expect(urls).toEqual(['https://shop.test/a/x.png', 'https://shop.test/static/y.png'])
  })

  it('skips relative URLs when no base is known, and non-http(s) URLs always', () => {
    const event = fullSnapshot(
      element('img', { src: 'relative.png' }),
      element('img', { src: 'data:image/gif;base64,R0lGOD' }),
      element('img', { src: 'blob:https://a.test/123' }),
      element('img', { src: 'file:///etc/passwd' }),
      element('img', { src: 'javascript:alert(1)' })
    )
    expect(collect(event)).toEqual([])
  })

  it('reads mutation adds, attribute changes (tracking which node is a link) and style text changes', () => {
    const state = createAssetScanState('https://shop.test/')
    const urls: string[] = []
    const add = (url: string) => urls.push(url)
    collectAssetUrls(
      fullSnapshot(
        element('a', { href: '/x' }, [], 10),
        element('link', { rel: 'stylesheet', href: '/a.css' }, [], 11),
        element('style', {}, [{ type: 3, isStyle: true, id: 13, textContent: '' }], 12)
      ),
      add,
      undefined,
      state
    )
    collectAssetUrls(
      {
        type: 3,
        data: {
          source: 0,
          adds: [
            { parentId: 1, nextId: null, node: element('img', { src: '/added.png' }, [], 20) }
          ],
          attributes: [
            { id: 10, attributes: { href: '/another-page' } },
            { id: 11, attributes: { href: '/b.css' } },
            {
              id: 20,
              attributes: {
                src: '/changed.png',
                style: { background: ['url(/bg.png)', 'important'] }
              }
            }
          ],
          texts: [{ id: 13, value: '.x { background: url(/text.png) }' }],
          removes: []
        }
      },
      add,
      undefined,
      state
    )
    expect(urls).toEqual([
      'https://shop.test/a.css',
      'https://shop.test/added.png',
      'https://shop.test/b.css',
      'https://shop.test/changed.png',
      'https://shop.test/bg.png',
      'https://shop.test/text.png'
    ])
  })

  it('reads style sheet rules, declarations, adopted sheets and fonts', () => {
    const base = 'https://shop.test/'
    expect(
      collect(
        { type: 3, data: { source: 8, id: 1, adds: [{ rule: '.a{background:url(/r.png)}' }] } },
        base
      )
    ).toEqual(['https://shop.test/r.png'])
    expect(
      collect(
        {
          type: 3,
          data: { source: 13, id: 1, index: [0], set: { property: 'b', value: 'url(/d.png)' } }
        },
        base
      )
    ).toEqual(['https://shop.test/d.png'])
    expect(
      collect(
        {
          type: 3,
          data: {
            source: 15,
            id: 1,
            styleIds: [1],
            styles: [{ styleId: 1, rules: [{ rule: '@import url(/i.css);' }] }]
          }
        },
        base
      )
    ).toEqual(['https://shop.test/i.css'])
    expect(
      collect(
        { type: 3, data: { source: 10, family: 'X', fontSource: 'url(/f.woff2)', buffer: false } },
        base
      )
    ).toEqual(['https://shop.test/f.woff2'])
  })

  it('walks a very deep tree without overflowing the stack', () => {
    let node: Record<string, unknown> = element('img', { src: 'https://a.test/deep.png' })
    for (let depth = 0; depth < 200_000; depth++) node = element('div', {}, [node])
    expect(collect(fullSnapshot(node))).toEqual(['https://a.test/deep.png'])
  })

  it('ignores events that are not rrweb events', () => {
    for (const junk of [
      null,
      42,
      'x',
      [],
      { type: 2 },
      { type: 2, data: { node: 'nope' } },
      { type: 3, data: {} }
    ]) {
      expect(collect(junk)).toEqual([])
    }
  })
})
