import { describe, expect, it } from 'vitest'
import { createSecureWebPreferences } from './web-preferences'

describe('createSecureWebPreferences', () => {
  it('turns on isolation, the sandbox and web security, and everything risky off', () => {
    expect(createSecureWebPreferences('/app/out/preload/index.cjs', false)).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false
    })
  })

  it('offers DevTools only in development', () => {
    expect(createSecureWebPreferences('/p', true).devTools).toBe(true)
  })
})
