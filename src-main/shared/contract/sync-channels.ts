/** Where recordings come from: a folder the app watches, or a PostHog project it downloads from. */
export type SourceKind = 'folder' | 'posthog'

/** What a PostHog source downloads. */
export type PostHogSourceSettings = {
  /** Oldest recording start to sync (epoch ms); `null` = 30 days before the first sync. */
  sinceMs: number | null
  /** Newest recording start to sync (epoch ms); `null` = up to the time of each sync. */
  untilMs: number | null
  /** Also download the analytics events of the synced sessions (HogQL query API). */
  includeEvents: boolean
  /** Also download the person profiles of the synced recordings (persons API). */
  includePersons: boolean
}

/** One configured source, as the Sources screen and `tapedeck sources list` show it. */
export type SourceInfo = {
  id: number
  kind: SourceKind
  name: string
  /** The folder's absolute path, or the PostHog host's origin (`https://us.posthog.com`). */
  location: string
  /** PostHog project (or environment) id; `null` for folders. */
  projectId: string | null
  /** PostHog sources only; `null` for folders. */
  settings: PostHogSourceSettings | null
  createdAtMs: number
  lastSyncAtMs: number | null
  /** PostHog sources: whether an API key is stored (the key itself never leaves the core). */
  hasKey: boolean
  /** Folder sources: whether the running app is watching it for changes now. */
  isWatched: boolean
  lastRun: SyncRunInfo | null
}

/** Something a sync could not bring in, and why (shown to the user as is). */
export type SyncFailure = { item: string; reason: string }

/** A run's outcome; `interrupted` marks one whose process died (found at the next sync). */
export type SyncRunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted'

/** What started a run: the UI, a watched folder changing, the app starting, the CLI. */
export type SyncTrigger = 'manual' | 'watch' | 'startup' | 'cli'

/** One source's part of a sync, as logged in `sync_runs`. */
export type SyncRunInfo = {
  id: number
  sourceId: number | null
  trigger: SyncTrigger
  status: SyncRunStatus
  startedAtMs: number
  finishedAtMs: number | null
  /** Files (folder) or recordings (PostHog) the run had to look at. */
  itemsTotal: number
  itemsImported: number
  itemsUnchanged: number
  itemsFailed: number
  bytes: number
  /** Recordings removed from the cache because their source file was deleted (`--prune`). */
  pruned: number
  /** Why the whole run stopped, when it did (`status` 'failed'). */
  error: string | null
  failures: SyncFailure[]
}

/** What a running source sync is doing now. */
export type SyncPhase = 'scanning' | 'listing' | 'downloading' | 'importing' | 'pruning'

/** Pushed a few times a second while a sync runs. */
export type SyncProgress = {
  sourceId: number
  sourceName: string
  sourcesDone: number
  sourcesTotal: number
  phase: SyncPhase
  unit: 'files' | 'recordings'
  itemsDone: number
  itemsTotal: number
  itemsFailed: number
  /** Downloaded (PostHog) or read (folder) bytes so far in this source's run. */
  bytesDone: number
  bytesPerSecond: number
  /** Estimated time left for this source; `null` until there is a rate to go by. */
  etaMs: number | null
  currentItem: string | null
  isPaused: boolean
}

/** The sync service's state; `cancelling` lasts until the run reaches a safe point. */
export type SyncState = 'idle' | 'running' | 'paused' | 'cancelling'

/** What a finished sync did; the renderer's stores refetch on `sync:finished`. */
export type SyncSummary = {
  status: 'completed' | 'cancelled' | 'failed'
  startedAtMs: number
  finishedAtMs: number
  runs: SyncRunInfo[]
  /** True when anything was imported or pruned, so lists should refresh. */
  hasChanges: boolean
  error: string | null
}

/** What `sync:status` (and pause / resume / cancel) answer. */
export type SyncStatus = {
  state: SyncState
  progress: SyncProgress | null
  lastSummary: SyncSummary | null
}

/** Why a source was not added. */
export type AddSourceFailure =
  | 'cancelled'
  | 'not-found'
  | 'not-a-folder'
  | 'duplicate'
  | 'invalid'
  | 'unauthorized'
  | 'unreachable'

/** Adding a source is an expected-failure operation: the reason is shown next to the form. */
export type AddSourceResult =
  { ok: true; source: SourceInfo } | { ok: false; reason: AddSourceFailure; message: string }

/** The folder form. */
export type AddFolderSourceInput = {
  /**
   * The folder to watch. The desktop app ignores it and asks with a folder picker; the web host, which has no
   * picker, requires it.
   */
  path?: string
  name?: string
}

/** The PostHog form; the key goes to the key store, never to the cache or the renderer again. */
export type AddPostHogSourceInput = {
  /** `https://us.posthog.com`, `https://eu.posthog.com` or a self-hosted origin. */
  host: string
  projectId: string
  /** A personal API key (`phx_…`) with `session_recording:read`, `query:read` and `person:read`. */
  apiKey: string
  name?: string
  sinceMs?: number | null
  untilMs?: number | null
  includeEvents?: boolean
  includePersons?: boolean
}

/** What `sync:start` syncs. */
export type StartSyncOptions = {
  /** Sources to sync; all when omitted. */
  sourceIds?: number[]
  /** Remove from the cache the recordings whose source file was deleted from a watched folder. */
  prune?: boolean
}

/** Whether a sync started; one runs at a time per data folder (the app and the CLI included). */
export type StartSyncResult =
  { ok: true } | { ok: false; reason: 'already-running' | 'no-sources' | 'unknown-source' }

/** Requests of the Sources screen. */
export type SyncChannels = {
  'sources:list': () => SourceInfo[]
  'sources:add-folder': (input: AddFolderSourceInput) => AddSourceResult
  'sources:add-posthog': (input: AddPostHogSourceInput) => AddSourceResult
  /** Forgets the source, its sync state and its stored key; what it brought into the cache stays. */
  'sources:remove': (id: number) => { ok: boolean }
  'sync:start': (options: StartSyncOptions) => StartSyncResult
  'sync:pause': () => SyncStatus
  'sync:resume': () => SyncStatus
  'sync:cancel': () => SyncStatus
  'sync:status': () => SyncStatus
}

/** Events pushed about syncs. */
export type SyncEvents = {
  'sync:progress': SyncProgress
  'sync:finished': SyncSummary
}

/** Runtime list of the sync channels; `satisfies` fails the build if it drifts from `SyncChannels`. */
export const SYNC_CHANNELS = {
  'sources:list': true,
  'sources:add-folder': true,
  'sources:add-posthog': true,
  'sources:remove': true,
  'sync:start': true,
  'sync:pause': true,
  'sync:resume': true,
  'sync:cancel': true,
  'sync:status': true
} as const satisfies Record<keyof SyncChannels, true>
