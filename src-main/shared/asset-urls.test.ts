import { describe, expect, it } from 'vitest'
import {
  createAssetScanState,
  mapCssUrls,
  parseSrcset,
  resolveAssetUrl,
  rewriteEventAssetUrls,
  toAssetRoute
} from './asset-urls'

describe('resolveAssetUrl', () => {
  it('resolves relative URLs, drops fragments and refuses other schemes', () => {
    expect(resolveAssetUrl('../img/a.png#x', 'https://s.test/a/b/c.html')).toBe(
      'https://s.test/a/img/a.png'
    )
    expect(resolveAssetUrl('//cdn.test/x.css', 'http://s.test/')).toBe('http://cdn.test/x.css')
    expect(resolveAssetUrl('HTTPS://S.TEST/A.PNG')).toBe('https://s.test/A.PNG')
    expect(resolveAssetUrl('x.png')).toBeNull()
    expect(resolveAssetUrl('#frag', 'https://s.test/')).toBeNull()
    expect(resolveAssetUrl('ftp://s.test/a.png')).toBeNull()
    expect(resolveAssetUrl('data:,x', 'https://s.test/')).toBeNull()
    expect(resolveAssetUrl(`https://s.test/${'a'.repeat(5000)}`)).toBeNull()
  })
})

describe('parseSrcset', () => {
  it('keeps commas inside URLs and splits on commas between candidates', () => {
    expect(parseSrcset('a.png 1x,b,c.png 2x, data:image/png;base64,AA,BB 3x')).toEqual([
      { url: 'a.png', descriptor: '1x' },
      { url: 'b,c.png', descriptor: '2x' },
      { url: 'data:image/png;base64,AA,BB', descriptor: '3x' }
    ])
    // As in browsers: a comma only ends a candidate when it trails the URL or follows the descriptors.
    expect(parseSrcset('  one.png,two.png 100w ')).toEqual([
      { url: 'one.png,two.png', descriptor: '100w' }
    ])
    expect(parseSrcset('one.png, two.png 100w')).toEqual([
      { url: 'one.png', descriptor: '' },
      { url: 'two.png', descriptor: '100w' }
    ])
  })
})

describe('mapCssUrls', () => {
  it('rewrites each quoting style and @import, leaving data URLs and unknown URLs alone', () => {
    const css = `@import 'a.css'; .x{background:url( "b.png" )} .y{background:url(c.png)} .z{src:url(data:font/woff2;base64,AA)}`
    const out = mapCssUrls(
      css,
      (url) => (url.endsWith('c.png') ? undefined : `local:${url}`),
      'https://s.test/'
    )
    expect(out).toBe(
      `@import "local:https://s.test/a.css"; .x{background:url("local:https://s.test/b.png")} .y{background:url(c.png)} .z{src:url(data:font/woff2;base64,AA)}`
    )
  })
})

describe('rewriteEventAssetUrls', () => {
  it('points every asset URL of a snapshot at the local route and leaves links alone', () => {
    const event = {
      type: 2,
      data: {
        node: {
          type: 0,
          childNodes: [
            {
              type: 2,
              tagName: 'html',
              attributes: {},
              childNodes: [
                {
                  type: 2,
                  tagName: 'img',
                  attributes: { src: '/a.png', srcset: '/a2.png 2x' },
                  childNodes: []
                },
                {
                  type: 2,
                  tagName: 'a',
                  attributes: { href: '/page', style: 'background:url(/bg.png)' },
                  childNodes: []
                }
              ]
            }
          ]
        }
      }
    }
    const state = createAssetScanState('https://s.test/')
    rewriteEventAssetUrls(
      event,
      (url) => toAssetRoute(url, 'http://127.0.0.1:9', { token: 't' }),
      state
    )
    const [img, link] = event.data.node.childNodes[0].childNodes
    expect(img.attributes.src).toBe(
      'http://127.0.0.1:9/assets?url=https%3A%2F%2Fs.test%2Fa.png&token=t'
    )
    expect(img.attributes.srcset).toBe(
      'http://127.0.0.1:9/assets?url=https%3A%2F%2Fs.test%2Fa2.png&token=t 2x'
    )
    expect(link.attributes.href).toBe('/page')
    expect(link.attributes.style).toBe(
      'background:url("http://127.0.0.1:9/assets?url=https%3A%2F%2Fs.test%2Fbg.png&token=t")'
    )
  })
})
