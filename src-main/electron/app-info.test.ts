import { describe, expect, it } from 'vitest'
import type { SourceInfo } from '../shared/contract/sync-channels'
import {
  createAboutPanelOptions,
  describeAddFolderResult,
  formatProblemReport,
  type AppFacts
} from './app-info'

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

describe('describeAddFolderResult', () => {
  const source: SourceInfo = {
    id: 1,
    kind: 'folder',
    name: 'exports',
    location: '/home/me/exports',
    projectId: null,
    settings: null,
    createdAtMs: 1,
    lastSyncAtMs: null,
    hasKey: false,
    isWatched: true,
    lastRun: null
  }

  it('confirms the folder, says nothing when the picker was cancelled, and explains a refusal', () => {
    expect(describeAddFolderResult({ ok: true, source })).toEqual({
      type: 'info',
      message: 'Syncing exports',
      detail:
        'Tapedeck imports the exports in /home/me/exports now, and again whenever they change. It is listed under Sources.'
    })
    expect(
      describeAddFolderResult({ ok: false, reason: 'cancelled', message: 'No folder was chosen.' })
    ).toBeNull()
    expect(
      describeAddFolderResult({
        ok: false,
        reason: 'duplicate',
        message: '/home/me/exports is already a source.'
      })
    ).toEqual({
      type: 'warning',
      message: 'The folder was not added',
      detail: '/home/me/exports is already a source.'
    })
  })
})
