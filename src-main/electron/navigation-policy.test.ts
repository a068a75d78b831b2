import { describe, expect, it } from 'vitest'
import { decideNavigation, decideWindowOpen } from './navigation-policy'

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
