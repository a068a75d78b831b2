/** What the offline asset cache holds. */
export type AssetStatus = {
  /** Distinct asset URLs known (referenced by recordings or found inside fetched stylesheets). */
  total: number
  pending: number
  fetched: number
  failed: number
  /** Refused for good: too large, or not an http(s) resource. */
  skipped: number
  /** Bytes of the stored files (identical bodies are stored once). */
  storedBytes: number
  /** Recordings whose events have not been read for asset URLs yet (read at the next fetch). */
  unscannedRecordings: number
}

/** Progress of a running asset fetch. */
export type AssetFetchProgress = {
  done: number
  total: number
  fetched: number
  failed: number
  bytes: number
}

/** The outcome of one asset fetch run. */
export type AssetFetchSummary = {
  /** Recordings read for asset URLs before fetching (ones imported without them). */
  scannedRecordings: number
  attempted: number
  fetched: number
  failed: number
  skipped: number
  /** URLs found inside fetched stylesheets (fonts, images, imports) and queued in the same run. */
  discovered: number
  bytes: number
  durationMs: number
  /** True when the run was cancelled before it finished. */
  cancelled: boolean
}

export type AssetFetchOptions = {
  /** Try again the URLs that failed before (not the skipped ones). */
  retryFailed?: boolean
}

/** Requests about the offline asset cache. */
export type AssetChannels = {
  'assets:get-status': () => AssetStatus
  /** Downloads every pending asset (bounded concurrency, size limit, timeout); progress comes as `assets:progress`. */
  'assets:fetch': (options: AssetFetchOptions) => AssetFetchSummary
}

/** Events pushed while assets are fetched. */
export type AssetEvents = {
  'assets:progress': AssetFetchProgress
  'assets:finished': AssetFetchSummary
}

export const ASSET_CHANNELS = {
  'assets:get-status': true,
  'assets:fetch': true
} as const satisfies Record<keyof AssetChannels, true>
