import { describe, expect, it } from 'vitest'
import {
  decideNavigation,
  decideRedirect,
  decideSubframeNavigation,
  decideWindowOpen,
  isPermissionGranted,
  isRequestAllowed
} from './navigation-policy'

describe('decideNavigation', () => {
  it('allows moving within the app only', () => {
    expect(decideNavigation('app://tapedeck/index.html#/recordings/1')).toEqual({ action: 'allow' })
    expect(decideNavigation('app://tapedeck/')).toEqual({ action: 'allow' })
    expect(decideNavigation('app://other/index.html')).toEqual({ action: 'deny' })
    expect(decideNavigation('app://tapedeck.evil.test/')).toEqual({ action: 'deny' })
  })

  it('sends http(s) links to the system browser and refuses every other scheme', () => {
    expect(decideNavigation('https://posthog.com/docs')).toEqual({
      action: 'open-external',
      url: 'https://posthog.com/docs'
    })
    expect(decideNavigation('http://example.test/a b')).toEqual({
      action: 'open-external',
      url: 'http://example.test/a%20b'
    })
    for (const url of [
      'file:///home/me/export.json',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      'chrome://settings',
      'smb://server/share',
      'ms-msdt:/id',
      'https://user:pass@example.test/',
      'not a url'
    ]) {
      expect(decideNavigation(url), url).toEqual({ action: 'deny' })
    }
  })
})

describe('decideRedirect', () => {
  it('follows redirects within the app and refuses the rest without opening a browser', () => {
    expect(decideRedirect('app://tapedeck/index.html')).toEqual({ action: 'allow' })
    for (const url of ['https://example.test/', 'file:///etc/passwd', 'app://other/'])
      expect(decideRedirect(url), url).toEqual({ action: 'deny' })
  })
})

describe('decideSubframeNavigation', () => {
  it('lets the replay frame hold the app’s pages and empty documents only, never opening a browser', () => {
    for (const url of ['about:blank', 'about:srcdoc', 'app://tapedeck/index.html'])
      expect(decideSubframeNavigation(url), url).toEqual({ action: 'allow' })
    for (const url of [
      'https://shop.acme.test/checkout',
      'http://127.0.0.1:8080/',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'file:///etc/passwd',
      'about:blank#x',
      'app://tapedeck.evil.test/'
    ])
      expect(decideSubframeNavigation(url), url).toEqual({ action: 'deny' })
  })
})

describe('decideWindowOpen', () => {
  it('never opens a window: app URLs are refused, http(s) go to the browser', () => {
    expect(decideWindowOpen('app://tapedeck/index.html')).toEqual({ action: 'deny' })
    expect(decideWindowOpen('https://github.com/')).toEqual({
      action: 'open-external',
      url: 'https://github.com/'
    })
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny' })
  })
})

describe('isRequestAllowed', () => {
  it('lets the app load its own files and cached assets, and nothing from the network', () => {
    expect(isRequestAllowed('app://tapedeck/static/index.js')).toBe(true)
    expect(
      isRequestAllowed('app://tapedeck/assets?url=https%3A%2F%2Fshop.acme.test%2Fimg%2Fhero.svg')
    ).toBe(true)
    expect(isRequestAllowed('data:image/png;base64,AA')).toBe(true)
    expect(isRequestAllowed('blob:app://tapedeck/1234')).toBe(true)
    for (const url of [
      'https://shop.acme.test/img/hero.svg',
      'http://127.0.0.1:8080/',
      'wss://example.test/socket',
      'file:///etc/passwd',
      'app://other/index.html'
    ]) {
      expect(isRequestAllowed(url), url).toBe(false)
    }
  })

  it('allows the dev server only when one is given', () => {
    expect(isRequestAllowed('http://localhost:5173/src/main.tsx')).toBe(false)
    expect(
      isRequestAllowed('http://localhost:5173/src/main.tsx', undefined, 'http://localhost:5173')
    ).toBe(true)
  })
})

describe('isPermissionGranted', () => {
  it('grants only clipboard writes and full screen, only to the app’s top frame', () => {
    expect(
      isPermissionGranted('clipboard-sanitized-write', 'app://tapedeck/index.html', true)
    ).toBe(true)
    expect(isPermissionGranted('fullscreen', 'app://tapedeck/index.html', true)).toBe(true)
    expect(isPermissionGranted('fullscreen', 'app://tapedeck/index.html', false)).toBe(false)
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.test/', true)).toBe(false)
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid'
    ]) {
      expect(isPermissionGranted(permission, 'app://tapedeck/index.html', true), permission).toBe(
        false
      )
    }
  })
})
