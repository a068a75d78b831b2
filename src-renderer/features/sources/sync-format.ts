/** Formatting for the Sources screen. Pure functions. */
import type { SourceInfo, SyncProgress, SyncRunInfo } from '@shared/contract/sync-channels'
import { formatCount, formatDuration } from '../../components/format'

/** `812 B`, `3.4 KB`, `12.0 MB`, `1.25 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`
}

const PHASES: Record<SyncProgress['phase'], string> = {
  scanning: 'Scanning',
  listing: 'Listing recordings',
  downloading: 'Downloading',
  importing: 'Importing',
  pruning: 'Removing deleted files'
}

/** Fraction done (0..1), or `null` while the total is unknown. */
export function progressFraction(progress: SyncProgress): number | null {
  if (progress.itemsTotal <= 0) return null
  return Math.min(1, progress.itemsDone / progress.itemsTotal)
}

/** `Downloading 12 of 38 recordings · 3.40 MB at 1.20 MB/s · 20s left` */
export function describeProgress(progress: SyncProgress): string {
  const parts = [
    progress.itemsTotal > 0
      ? `${PHASES[progress.phase]} ${formatCount(progress.itemsDone)} of ${formatCount(progress.itemsTotal)} ${progress.unit}`
      : PHASES[progress.phase]
  ]
  if (progress.bytesDone > 0) {
    parts.push(
      progress.bytesPerSecond > 0
        ? `${formatBytes(progress.bytesDone)} at ${formatBytes(progress.bytesPerSecond)}/s`
        : formatBytes(progress.bytesDone)
    )
  }
  if (progress.etaMs !== null && !progress.isPaused)
    parts.push(`${formatDuration(progress.etaMs)} left`)
  if (progress.itemsFailed > 0) parts.push(`${formatCount(progress.itemsFailed)} failed`)
  return parts.join(' · ')
}

const RUN_STATUS: Record<SyncRunInfo['status'], string> = {
  running: 'Running',
  completed: 'Synced',
  cancelled: 'Cancelled',
  failed: 'Failed',
  interrupted: 'Interrupted'
}

/** `Synced: 3 imported, 12 unchanged, 1 failed` */
export function describeRun(run: SyncRunInfo): string {
  const counts = [
    `${formatCount(run.itemsImported)} imported`,
    `${formatCount(run.itemsUnchanged)} unchanged`
  ]
  if (run.itemsFailed > 0) counts.push(`${formatCount(run.itemsFailed)} failed`)
  if (run.pruned > 0) counts.push(`${formatCount(run.pruned)} removed`)
  return `${RUN_STATUS[run.status]}: ${counts.join(', ')}`
}

/** Where a source reads from, as one line. */
export function describeLocation(source: SourceInfo): string {
  return source.kind === 'posthog'
    ? `${source.location} · project ${source.projectId}`
    : source.location
}
