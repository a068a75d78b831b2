import { describe, expect, it } from 'vitest'
import { createAboutPanelOptions, formatProblemReport, type AppFacts } from './app-info'

const facts: AppFacts = {
  appName: 'Tapedeck',
  appVersion: '0.1.0',
  electronVersion: '45.5.0',
  chromeVersion: '142.0.1',
  nodeVersion: '22.20.0',
  platform: 'linux',
  osVersion: '6.1.0',
  arch: 'x64',
  schemaVersion: 6,
  dataDir: '/home/me/.config/Tapedeck'
}

describe('createAboutPanelOptions', () => {
  it('fills in every field Linux shows (it has no defaults)', () => {
    const options = createAboutPanelOptions(facts, '/opt/Tapedeck/resources/icon.png')
    expect(options).toMatchObject({
      applicationName: 'Tapedeck',
      applicationVersion: '0.1.0',
      iconPath: '/opt/Tapedeck/resources/icon.png'
    })
    expect(options.copyright).toMatch(/Tapedeck/)
    expect(options.version).toBe('Electron 45.5.0, Chromium 142.0.1, Node 22.20.0')
    expect('iconPath' in createAboutPanelOptions(facts)).toBe(false)
  })
})

describe('formatProblemReport', () => {
  it('names the versions, the OS, the cache schema and the data folder', () => {
    expect(formatProblemReport(facts)).toBe(
      [
        'Tapedeck 0.1.0 (Electron 45.5.0, Chromium 142.0.1, Node 22.20.0)',
        'OS: linux 6.1.0 x64',
        'Cache schema: 6',
        'Data folder: /home/me/.config/Tapedeck'
      ].join('\n')
    )
    expect(formatProblemReport({ ...facts, schemaVersion: null, dataDir: null })).toMatch(
      /Cache schema: not open\nData folder: not open$/
    )
  })
})
