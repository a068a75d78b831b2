import type { ImportProgress } from '@shared/domain'
import { formatBytes } from '../ingest/read-input'

/** A one-line progress bar on a terminal, redrawn at most 10 times a second; silent when not a TTY. */
export function createProgressBar(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {
  let lastDraw = 0
  let drawn = false
  const startedAt = Date.now()
  return {
    update(progress: ImportProgress): void {
      if (!stream.isTTY) return
      const now = Date.now()
      if (now - lastDraw < 100 && progress.filesDone < progress.filesTotal) return
      lastDraw = now
      const fraction = progress.bytesTotal > 0 ? Math.min(1, progress.bytesDone / progress.bytesTotal) : 0
      const width = 24
      const filled = Math.round(fraction * width)
      const seconds = (now - startedAt) / 1000
      const rate = seconds > 0 ? progress.bytesDone / seconds : 0
      const line =
        `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
        `${progress.filesDone}/${progress.filesTotal} files, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}` +
        (rate > 0 ? `, ${formatBytes(rate)}/s` : '')
      stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd(Math.min(99, (stream.columns ?? 100) - 1))}`)
      drawn = true
    },
    done(): void {
      if (drawn) stream.write('\r\x1b[K')
    }
  }
}
