import type { SyncPhase, SyncProgress } from '@shared/contract/sync-channels'

/** Lets a running sync stop between steps while paused. */
export type PauseGate = {
  readonly isPaused: () => boolean
  pause: () => void
  resume: () => void
  /** Resolves at once when not paused, else when resumed; rejects when `signal` aborts. */
  wait: (signal?: AbortSignal) => Promise<void>
}

/** A pause gate; `onChange` is told whenever it pauses or resumes. */
export function createPauseGate(onChange?: (isPaused: boolean) => void): PauseGate {
  let paused = false
  let waiters: (() => void)[] = []
  return {
    isPaused: () => paused,
    pause() {
      if (paused) return
      paused = true
      onChange?.(true)
    },
    resume() {
      if (!paused) return
      paused = false
      const toWake = waiters
      waiters = []
      for (const wake of toWake) wake()
      onChange?.(false)
    },
    wait(signal) {
      if (!paused) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason)
        const onAbort = () => reject(signal?.reason)
        signal?.addEventListener('abort', onAbort, { once: true })
        waiters.push(() => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        })
      })
    }
  }
}

export type ProgressTrackerOptions = {
  sourceId: number
  sourceName: string
  sourcesDone: number
  sourcesTotal: number
  unit: SyncProgress['unit']
  isPaused: () => boolean
  emit: (progress: SyncProgress) => void
  now?: () => number
  /** Least time between two emitted reports (the last one is always emitted by `flush`). */
  intervalMs?: number
}

/** Counts one source's progress and reports it, throttled, with a byte rate and an ETA. */
export type ProgressTracker = {
  setPhase: (phase: SyncPhase) => void
  setTotal: (itemsTotal: number) => void
  addItems: (done: number, failed?: number) => void
  addBytes: (bytes: number) => void
  setCurrentItem: (item: string | null) => void
  /** Emits now, whatever the throttle says. */
  flush: () => void
  snapshot: () => SyncProgress
}

/** The window over which the byte rate is averaged. */
const RATE_WINDOW_MS = 10_000

/**
 * Creates a tracker. ETA comes from the item rate since items started moving (items differ in size less than the
 * remaining bytes are known), and is `null` until at least one item is done.
 */
export function createProgressTracker(options: ProgressTrackerOptions): ProgressTracker {
  const now = options.now ?? Date.now
  const intervalMs = options.intervalMs ?? 250
  let phase: SyncPhase = 'scanning'
  let itemsTotal = 0
  let itemsDone = 0
  let itemsFailed = 0
  let bytesDone = 0
  let currentItem: string | null = null
  let itemsStartedAtMs: number | null = null
  let lastEmitMs = 0
  const byteSamples: { atMs: number; bytes: number }[] = [{ atMs: now(), bytes: 0 }]

  function bytesPerSecond(atMs: number): number {
    while (byteSamples.length > 2 && atMs - byteSamples[1].atMs > RATE_WINDOW_MS)
      byteSamples.shift()
    const first = byteSamples[0]
    const spanMs = atMs - first.atMs
    return spanMs < 200 ? 0 : ((bytesDone - first.bytes) * 1000) / spanMs
  }

  function snapshot(): SyncProgress {
    const atMs = now()
    let etaMs: number | null = null
    if (itemsStartedAtMs !== null && itemsDone > 0 && itemsTotal >= itemsDone) {
      const perItemMs = (atMs - itemsStartedAtMs) / itemsDone
      etaMs = Math.round(perItemMs * (itemsTotal - itemsDone))
    }
    return {
      sourceId: options.sourceId,
      sourceName: options.sourceName,
      sourcesDone: options.sourcesDone,
      sourcesTotal: options.sourcesTotal,
      phase,
      unit: options.unit,
      itemsDone,
      itemsTotal,
      itemsFailed,
      bytesDone,
      bytesPerSecond: Math.round(bytesPerSecond(atMs)),
      etaMs,
      currentItem,
      isPaused: options.isPaused()
    }
  }

  function maybeEmit(force = false): void {
    const atMs = now()
    if (!force && atMs - lastEmitMs < intervalMs) return
    lastEmitMs = atMs
    options.emit(snapshot())
  }

  return {
    setPhase(next) {
      phase = next
      maybeEmit(true)
    },
    setTotal(total) {
      itemsTotal = total
      maybeEmit()
    },
    addItems(done, failed = 0) {
      itemsStartedAtMs ??= now()
      itemsDone += done
      itemsFailed += failed
      maybeEmit()
    },
    addBytes(bytes) {
      bytesDone += bytes
      const atMs = now()
      const last = byteSamples[byteSamples.length - 1]
      if (atMs - last.atMs >= 100) byteSamples.push({ atMs, bytes: bytesDone })
      maybeEmit()
    },
    setCurrentItem(item) {
      currentItem = item
      itemsStartedAtMs ??= now()
      maybeEmit()
    },
    flush: () => maybeEmit(true),
    snapshot
  }
}
