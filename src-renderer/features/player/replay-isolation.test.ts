import { describe, expect, it } from 'vitest'
import { assetUrlFor, createIsolationState, isolateEvent, isOutsideUrl } from './replay-isolation'

const APP = 'http://127.0.0.1:4870'
const toAsset = assetUrlFor(APP)

function el(id: number, tagName: string, attributes: Record<string, unknown>, childNodes: unknown[] = []) {
  return { type: 2, id, tagName, attributes, childNodes }
}

describe('replay isolation', () => {
  it('knows what leaves the app', () => {
    expect(isOutsideUrl('https://shop.example/a.png', APP)).toBe(true)
    expect(isOutsideUrl('//cdn.example/x.js', APP)).toBe(true)
    expect(isOutsideUrl('wss://live.example/socket', APP)).toBe(true)
    expect(isOutsideUrl(`${APP}/assets?url=x`, APP)).toBe(false)
    expect(isOutsideUrl('data:image/png;base64,AAAA', APP)).toBe(false)
    expect(isOutsideUrl('/relative.png', APP)).toBe(false)
    expect(isOutsideUrl('javascript:alert(1)', APP)).toBe(false)
  })

  it('points assets at the app and removes every other outside load from a full snapshot', () => {
    const snapshot = {
      type: 2,
      timestamp: 1,
      data: {
        node: {
          type: 0,
          id: 1,
          childNodes: [
            el(2, 'html', {}, [
              el(3, 'head', {}, [
                el(4, 'link', { rel: 'preconnect', href: 'https://cdn.example' }),
                el(5, 'link', { rel: 'stylesheet', href: 'https://shop.example/site.css' }),
                el(6, 'meta', { 'http-equiv': 'refresh', content: '0;url=https://evil.example/' }),
                el(7, 'script', { src: 'https://shop.example/app.js' })
              ]),
              el(8, 'body', {}, [
                el(9, 'img', { src: 'https://shop.example/lamp.png', srcset: 'https://shop.example/lamp@2x.png 2x' }),
                el(10, 'iframe', { src: 'https://ads.example/frame', srcdoc: '<img src="https://evil.example/x">' }),
                el(11, 'a', { href: 'https://shop.example/cart' }),
                el(12, 'div', { style: 'background: url(https://shop.example/bg.png)' }),
                el(13, 'video', { src: 'https://media.example/v.mp4', poster: 'https://shop.example/p.jpg' }),
                el(14, 'object', { data: 'https://evil.example/x.swf' })
              ])
            ])
          ]
        },
        initialOffset: { top: 0, left: 0 }
      }
    }
    isolateEvent({ type: 4, timestamp: 0, data: { href: 'https://shop.example/', width: 1, height: 1 } }, createIsolationState(), APP, toAsset)
    isolateEvent(snapshot, createIsolationState(), APP, toAsset)
    const text = JSON.stringify(snapshot)
    const outside = text.match(/https?:\/\/(?!127\.0\.0\.1:4870)[^"\\ ]+/g) ?? []
    // Only the anchor's href (never loaded) and URLs inside the asset route's query remain.
    expect(outside.filter((u) => !u.startsWith('https://shop.example/cart'))).toEqual([])
    expect(text).toContain(`${APP}/assets?url=https%3A%2F%2Fshop.example%2Flamp.png`)
    expect(text).not.toContain('srcdoc')
    expect(text).not.toContain('evil.example')
  })

  it('neutralises outside loads added or set later by mutations', () => {
    const state = createIsolationState()
    isolateEvent({ type: 2, timestamp: 1, data: { node: { type: 0, id: 1, childNodes: [el(2, 'iframe', {}), el(3, 'img', {})] } } }, state, APP, toAsset)
    const mutation = {
      type: 3,
      timestamp: 2,
      data: {
        source: 0,
        adds: [{ parentId: 1, nextId: null, node: el(20, 'script', { src: 'https://cdn.example/x.js' }) }],
        attributes: [
          { id: 2, attributes: { src: 'https://ads.example/frame' } },
          { id: 3, attributes: { src: 'https://shop.example/new.png' } },
          { id: 99, attributes: { srcdoc: '<b>hi</b>' } }
        ],
        removes: [],
        texts: []
      }
    }
    isolateEvent(mutation, state, APP, toAsset)
    expect(mutation.data.adds[0]?.node.attributes).toEqual({})
    expect(mutation.data.attributes[0]?.attributes).toEqual({ src: null })
    expect(mutation.data.attributes[1]?.attributes.src).toBe(`${APP}/assets?url=https%3A%2F%2Fshop.example%2Fnew.png`)
    expect(mutation.data.attributes[2]?.attributes).toEqual({ srcdoc: null })
  })

  it('serves nothing from the recorded site when the page has no origin (file://)', () => {
    expect(assetUrlFor('null')('https://shop.example/a.png')).toBe('data:,')
  })
})
