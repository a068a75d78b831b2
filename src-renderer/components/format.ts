/** Display formatting shared by the screens. Pure functions: times are epoch ms, durations ms. */

/**
 * Whole seconds of a duration, the one rounding rule every time display uses (clock, list, header): down, like a
 * playback clock, so a 54.6 s recording is `54s` in the list and ends at `0:54` in the player.
 */
export function wholeSeconds(ms: number): number {
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0
}

/** `1:05`, `12:09`, `1:02:03` (a playback clock; whole seconds by `wholeSeconds`). */
export function formatClock(ms: number): string {
  const totalSeconds = wholeSeconds(ms)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const mm = hours > 0 ? String(minutes).padStart(2, '0') : String(minutes)
  return `${hours > 0 ? `${hours}:` : ''}${mm}:${String(seconds).padStart(2, '0')}`
}

/** A compact duration: `45s`, `3m 05s`, `2h 04m`, `<1s` (whole seconds by `wholeSeconds`, as the clock). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return ms > 0 ? '<1s' : '0s'
  const totalSeconds = wholeSeconds(ms)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`
  return `${seconds}s`
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit'
})

/** `Oct 12, 2026, 08:04` in the user's locale and time zone. */
export function formatDateTime(ms: number): string {
  return dateTimeFormat.format(new Date(ms))
}

/** `12,345`. */
export function formatCount(n: number): string {
  return n.toLocaleString()
}

/** A URL without its scheme (and without a bare trailing slash), for dense tables. */
export function formatUrl(url: string | null): string {
  if (!url) return ''
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '')
}
