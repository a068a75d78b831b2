import { describe, expect, it } from 'vitest'
import { isTrustedSender, type SenderFacts } from './sender-policy'

const ours: SenderFacts = {
  webContentsId: 7,
  frameUrl: 'app://tapedeck/index.html#/recordings',
  isMainFrame: true
}

describe('isTrustedSender', () => {
  it('accepts our window’s top frame showing the app', () => {
    expect(isTrustedSender(ours, 7)).toBe(true)
  })

  it('refuses other webContents, subframes, foreign pages, gone frames, and calls before the window exists', () => {
    expect(isTrustedSender({ ...ours, webContentsId: 8 }, 7)).toBe(false)
    expect(isTrustedSender({ ...ours, isMainFrame: false }, 7)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: 'about:blank' }, 7)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: 'https://evil.test/' }, 7)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: 'file:///tmp/index.html' }, 7)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: 'app://tapedeck.evil.test/' }, 7)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: undefined }, 7)).toBe(false)
    expect(isTrustedSender(ours, null)).toBe(false)
  })
})
