import type { AboutPanelOptionsOptions } from 'electron'
import type { AddSourceResult } from '../shared/contract/sync-channels'

/** What the app knows about itself and the machine, for Help → About and Help → Report a Problem. */
export type AppFacts = {
  appName: string
  appVersion: string
  electronVersion: string
  chromeVersion: string
  nodeVersion: string
  platform: string
  osVersion: string
  arch: string
  /** The cache's schema version, or null when the cache is not open. */
  schemaVersion: number | null
  /** The data folder, or null when the cache is not open. */
  dataDir: string | null
}

/**
 * The About panel's contents.
 *
 * Linux shows only what is set here (Electron has no defaults there), so name, version, copyright and the runtime
 * versions are always filled in; the icon is added when one is given (Linux and Windows show it).
 */
export function createAboutPanelOptions(
  facts: AppFacts,
  iconPath?: string
): AboutPanelOptionsOptions {
  const runtime = formatRuntime(facts)
  return {
    applicationName: facts.appName,
    applicationVersion: facts.appVersion,
    version: runtime,
    copyright: 'Copyright © Tapedeck contributors',
    credits: `Watch PostHog session recordings offline.\n${runtime}`,
    ...(iconPath === undefined ? {} : { iconPath })
  }
}

/**
 * The text Help → Report a Problem copies to the clipboard: versions, OS, cache schema and data folder.
 *
 * Nothing from the recordings themselves (they hold personal data); the user adds what happened.
 */
export function formatProblemReport(facts: AppFacts): string {
  return [
    `${facts.appName} ${facts.appVersion} (${formatRuntime(facts)})`,
    `OS: ${facts.platform} ${facts.osVersion} ${facts.arch}`,
    `Cache schema: ${facts.schemaVersion ?? 'not open'}`,
    `Data folder: ${facts.dataDir ?? 'not open'}`
  ].join('\n')
}

/** "Electron 45.0.0, Chromium 142.0.0.0, Node 22.20.0": the runtime line of About and of a problem report. */
function formatRuntime(facts: AppFacts): string {
  return `Electron ${facts.electronVersion}, Chromium ${facts.chromeVersion}, Node ${facts.nodeVersion}`
}

/** A message box's contents for the shell to show. */
export type Notice = { type: 'info' | 'warning'; message: string; detail: string }

/**
 * What File → Add Sync Folder… tells the user: the folder now synced, or why it was not added. Nothing when the user
 * cancelled the folder picker.
 */
export function describeAddFolderResult(result: AddSourceResult): Notice | null {
  if (result.ok) {
    return {
      type: 'info',
      message: `Syncing ${result.source.name}`,
      detail: `Tapedeck imports the exports in ${result.source.location} now${
        result.source.isWatched ? ', and again whenever they change' : ''
      }. It is listed under Sources.`
    }
  }
  if (result.reason === 'cancelled') return null
  return { type: 'warning', message: 'The folder was not added', detail: result.message }
}
