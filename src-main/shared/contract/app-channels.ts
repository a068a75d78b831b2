import type { CacheTotals, ImportFileOutcome, ImportProgress, ImportSummary } from '../domain'

/** What the renderer learns about the running app. */
export type AppInfo = {
  version: string
  shell: 'electron' | 'web'
  dataDir: string
  schemaVersion: number
  /** True while the bundled demo data is being (or was just) imported into an empty cache. */
  demoImported: boolean
}

export type ImportLogEntry = ImportFileOutcome & { id: number; startedAtMs: number; finishedAtMs: number | null }

/** App-wide requests: info, totals, the import log. */
export type AppChannels = {
  'app:get-info': () => AppInfo
  'app:get-totals': () => CacheTotals
  'imports:list': (options: { limit?: number; onlyFailed?: boolean }) => ImportLogEntry[]
}

/** Events main pushes about imports. */
export type AppEvents = {
  'import:progress': ImportProgress
  'import:finished': ImportSummary
}

export const APP_CHANNELS = {
  'app:get-info': true,
  'app:get-totals': true,
  'imports:list': true
} as const satisfies Record<keyof AppChannels, true>
