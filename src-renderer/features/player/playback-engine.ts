/**
 * Drives rrweb's Replayer for one recording: streams chunks, seeks from keyframes, follows windows, skips
 * inactivity.
 *
 * One window is replayed at a time. A Replayer is built from the nearest keyframe at or before the target (a chunk
 * that begins with Meta + FullSnapshot, a keyframe stored at import, or one built in the browser for recordings
 * imported before those existed) and the chunks up to the target; the page at the target is computed from it without
 * a DOM (`startAtTarget`), so the Replayer only rebuilds that page. The chunks after it are appended (`addEvent`) a
 * little ahead of the playhead. Seeks inside what is loaded reuse the Replayer (rrweb itself restarts from the last
 * Meta before the target). All times here are epoch ms.
 */
import type { Replayer } from '@rrweb/replay'
import type { KeyframeInfo } from '@shared/contract/recording-channels'
import type { RecordingDetail, SnapshotChunkInfo } from '@shared/domain'
import { KeyframeTree, RrwebEvent } from '@shared/keyframe-tree'
import { ChunkError, type ChunkLoader, type ReplayEvent } from './chunk-loader'
import { createReplayer, type RrwebEvents } from './create-replayer'
import { KeyframeBuilder, type Keyframe } from './keyframe-builder'
import { prepareReplayStyles } from './replay-styles'
import {
  findActiveWindow,
  findChunkIndexAt,
  findInactiveSpans,
  findKeyframeIndex,
  findSkipTarget,
  groupChunksByWindow,
  type Span
} from './timeline'

export type EngineState = 'loading' | 'playing' | 'paused' | 'buffering' | 'ended' | 'broken'

export type EngineListener = {
  /** The playhead moved (epoch ms). Called on every animation frame while playing, and after each seek. */
  onTime: (timeMs: number) => void
  onState: (state: EngineState) => void
  /** The window being replayed changed (auto-follow, or a switch). */
  onWindow: (windowId: string) => void
  /**
   * The recording cannot be played (`isWholeRecording`), or the part at the playhead cannot (a damaged chunk:
   * seeking elsewhere may work). `message` says why, for the user.
   */
  onBroken: (message: string, isWholeRecording: boolean) => void
  /** A full snapshot was drawn (the first frame after an open or a keyframe seek). */
  onFrame?: () => void
  /** The recorded viewport's size (CSS px), whenever a Meta event sets it. */
  onResize?: (width: number, height: number) => void
  /** Background keyframe indexing progress for the window shown (`built === total` when finished). */
  onKeyframes?: (built: number, total: number) => void
}

export type EngineOptions = {
  speed: number
  skipInactive: boolean
  followWindow: boolean
}

/** How far ahead of the playhead chunks are appended, in recording time. */
const LOOKAHEAD_MS = 45_000
/**
 * A new Replayer's first look-ahead waits this long (wall time) after its page is drawn: decoding a chunk is one long
 * task (~50–100 ms for 3k events) that would otherwise land on the frames right after an open or a seek.
 */
const LOOKAHEAD_DELAY_MS = 600
/**
 * ...only `LOOKAHEAD_URGENT_DELAY_MS` when less than this much recording time (times the speed) is left to play in
 * what is loaded (a first chunk often holds only the opening seconds)...
 */
const LOOKAHEAD_URGENT_MS = 5_000
const LOOKAHEAD_URGENT_DELAY_MS = 250
/** ...and not at all when less than this is left. */
const LOOKAHEAD_STARVING_MS = 1_000
/** What rebuilding a page from a full snapshot costs, in replayed incremental events (~150 ms for ~6k nodes). */
const REBUILD_COST_EVENTS = 6_000
/**
 * Below this many events to replay before the target, a new Replayer replays them itself; from it on, the page at the
 * target is computed without a DOM (KeyframeTree) and the Replayer starts from that (see `startAtTarget`).
 */
const COLLAPSE_MIN_EVENTS = 200
/**
 * What a new Replayer started at the computed page costs (a rebuild and a layout of the page), in events rrweb would
 * replay inside the current Replayer instead (each such replay also copies the page into its virtual DOM and back).
 */
const COMPUTED_START_COST_EVENTS = 3_000
/**
 * `?seek=replay` in the app's URL: new Replayers replay every event from their keyframe themselves instead of
 * starting at a computed page (diagnostics, and the reference the keyframe e2e test compares with).
 */
const SEEK_BY_REPLAY = typeof location !== 'undefined' && new URLSearchParams(location.search).get('seek') === 'replay'
/** Keyframe indexing starts this long after the first frame, leaving the start of playback alone. */
const KEYFRAME_DELAY_MS = 1_500

type Session = {
  replayer: Replayer
  windowId: string
  chunks: SnapshotChunkInfo[]
  /** Epoch ms of the Replayer's first event: its time offsets count from here. */
  baseMs: number
  firstIndex: number
  lastIndex: number
  loadingMore: boolean
  /** A chunk ahead of the playhead that failed to load: playback stops with its message when it gets there. */
  aheadError: ChunkError | null
  /** `performance.now()` when the page was built and the two frames after it had started (the first is painted). */
  drawnAt: number | null
  /**
   * The seek (`PlaybackEngine.generation`) that made it or last chose it: while a later one builds a new Replayer in
   * its place, nothing more is loaded for this one.
   */
  generation: number
}

export class PlaybackEngine {
  private readonly container: HTMLElement
  private readonly detail: RecordingDetail
  private readonly loader: ChunkLoader
  private readonly listener: EngineListener
  private readonly chunksByWindow: Map<string, SnapshotChunkInfo[]>
  private readonly inactiveSpans: Span[]
  private readonly endMs: number
  private options: EngineOptions
  private session: Session | null = null
  private generation = 0
  private wantsPlay = false
  private state: EngineState = 'loading'
  private timeMs: number
  private frame = 0
  private isDestroyed = false
  /** Set when the recording as a whole cannot be played; a damaged part only stops playback at that part. */
  private isUnplayable = false
  private readonly builders = new Map<string, KeyframeBuilder>()
  private readonly keyframeHosts: HTMLElement[] = []
  /** Keyframes stored at import, per window: chunk index in the window's list → keyframe (null until listed). */
  private storedKeyframes: Map<string, Map<number, KeyframeInfo>> | null = null
  /** Windows whose stored keyframes' bytes are being (or were) fetched ahead. */
  private readonly prefetching = new Set<string>()
  /** Resolves once the stored keyframes are listed (requested at construction, alongside the first chunk). */
  private readonly keyframesListed: Promise<void>

  constructor(
    container: HTMLElement,
    detail: RecordingDetail,
    loader: ChunkLoader,
    listener: EngineListener,
    options: EngineOptions
  ) {
    this.container = container
    this.detail = detail
    this.loader = loader
    this.listener = listener
    this.options = options
    this.chunksByWindow = groupChunksByWindow(detail.chunks)
    const { startedAtMs, endedAtMs } = detail.summary
    this.endMs = Math.max(endedAtMs, ...detail.chunks.map((c) => c.lastMs))
    this.inactiveSpans = findInactiveSpans(detail.segments, startedAtMs, this.endMs)
    this.timeMs = startedAtMs
    this.keyframesListed = this.listStoredKeyframes().catch(() => undefined)
  }

  /** Why this recording cannot be played at all, or null. Checked before anything is fetched. */
  static findUnplayableReason(detail: RecordingDetail): string | null {
    if (detail.summary.brokenReason) return detail.summary.brokenReason
    if (detail.chunks.length === 0) return 'This recording has no snapshot data in the cache, so there is nothing to replay.'
    if (!detail.chunks.some((c) => c.hasFullSnapshot)) {
      return 'This recording has no full snapshot (the page was never captured whole), so it cannot be drawn. Its events and console output are still listed in the inspector.'
    }
    const events = detail.chunks.reduce((n, c) => n + c.eventCount, 0)
    if (events < 2) return 'This recording holds a single event, which is not enough to replay anything.'
    return null
  }

  /** Starts at `timeMs` (clamped into the recording), playing or paused. */
  open(timeMs: number, play: boolean): Promise<void> {
    const reason = PlaybackEngine.findUnplayableReason(this.detail)
    if (reason) {
      this.isUnplayable = true
      this.setState('broken')
      this.listener.onBroken(reason, true)
      return Promise.resolve()
    }
    this.wantsPlay = play
    const target = this.clamp(timeMs)
    const windowId = this.pickWindow(target)
    // A stored keyframe is only of use past the chunk that holds the full snapshot before the target: an opening
    // inside it (at the start, as most do) does not wait for the list.
    const chunks = this.chunksByWindow.get(windowId) ?? []
    if (findChunkIndexAt(chunks, target) <= findKeyframeIndex(chunks, target)) return this.goTo(windowId, target)
    return this.keyframesListed.then(() => this.goTo(windowId, target))
  }

  /** Fetches the list of keyframes stored at import (small; asked for alongside the first chunk). */
  private async listStoredKeyframes(): Promise<void> {
    const list = await this.loader.listKeyframes()
    const byWindow = new Map<string, Map<number, KeyframeInfo>>()
    for (const [windowId, chunks] of this.chunksByWindow) {
      const indexBySeq = new Map(chunks.map((c, i) => [c.seq, i]))
      const own = new Map<number, KeyframeInfo>()
      for (const keyframe of list) {
        const index = indexBySeq.get(keyframe.seq)
        if (keyframe.windowId === windowId && index !== undefined) own.set(index, keyframe)
      }
      if (own.size > 0) byWindow.set(windowId, own)
    }
    this.storedKeyframes = byWindow
  }

  /** The stored keyframe with the largest chunk index in `(after, atMost]` of a window, or null. */
  private findStoredKeyframe(windowId: string, after: number, atMost: number): { chunkIndex: number; keyframe: KeyframeInfo } | null {
    const own = this.storedKeyframes?.get(windowId)
    if (!own) return null
    for (let index = atMost; index > after; index--) {
      const keyframe = own.get(index)
      if (keyframe) return { chunkIndex: index, keyframe }
    }
    return null
  }

  /** The playhead, epoch ms. */
  getTime(): number {
    return this.timeMs
  }

  getWindowId(): string | null {
    return this.session?.windowId ?? null
  }

  play(): void {
    if (this.isUnplayable) return
    this.wantsPlay = true
    const from = this.state === 'ended' || this.timeMs >= this.endMs - 50 ? this.detail.summary.startedAtMs : this.timeMs
    void this.seek(from)
  }

  pause(): void {
    this.wantsPlay = false
    const session = this.session
    if (session && this.state === 'playing') {
      this.timeMs = this.readReplayerTime(session)
      session.replayer.pause()
    }
    if (this.state !== 'broken' && this.state !== 'loading') this.setState('paused')
    this.listener.onTime(this.timeMs)
  }

  /** Moves the playhead to `timeMs`, keeping the play/pause intent; switches window when following. */
  seek(timeMs: number): Promise<void> {
    if (this.isUnplayable) return Promise.resolve()
    const target = this.clamp(timeMs)
    const windowId = this.options.followWindow || !this.session ? this.pickWindow(target) : this.session.windowId
    if (!this.storedKeyframes) return this.keyframesListed.then(() => this.goTo(windowId, target))
    return this.goTo(windowId, target)
  }

  /** Shows another window at the current time (turns following off: the user chose). */
  selectWindow(windowId: string): Promise<void> {
    if (!this.chunksByWindow.has(windowId)) return Promise.resolve()
    this.options = { ...this.options, followWindow: false }
    return this.goTo(windowId, this.timeMs)
  }

  setOptions(options: Partial<EngineOptions>): void {
    const previous = this.options
    this.options = { ...this.options, ...options }
    if (options.speed !== undefined && options.speed !== previous.speed) {
      this.session?.replayer.setConfig({ speed: options.speed })
    }
  }

  destroy(): void {
    this.isDestroyed = true
    this.generation++
    cancelAnimationFrame(this.frame)
    this.destroySession()
    for (const builder of this.builders.values()) builder.stop()
    for (const host of this.keyframeHosts) host.remove()
  }

  private clamp(timeMs: number): number {
    return Math.min(Math.max(timeMs, this.detail.summary.startedAtMs), this.endMs)
  }

  private pickWindow(timeMs: number): string {
    const withChunks = this.detail.windows.filter((w) => this.chunksByWindow.has(w.windowId))
    const chosen = findActiveWindow(withChunks, this.detail.segments, timeMs)
    if (chosen && this.chunksByWindow.has(chosen)) return chosen
    return (this.detail.chunks.find((c) => c.hasFullSnapshot) ?? (this.detail.chunks[0] as SnapshotChunkInfo)).windowId
  }

  private setState(state: EngineState): void {
    if (this.state === state) return
    this.state = state
    // Keyframe indexing waits while a seek or an open loads its chunks.
    for (const builder of this.builders.values()) builder.hold(state === 'buffering' || state === 'loading')
    this.listener.onState(state)
  }

  private readReplayerTime(session: Session): number {
    return Math.min(session.baseMs + session.replayer.getCurrentTime(), this.endMs)
  }

  private async goTo(windowId: string, targetMs: number): Promise<void> {
    const generation = ++this.generation
    const chunks = this.chunksByWindow.get(windowId) ?? []
    const keyIndex = findKeyframeIndex(chunks, targetMs)
    if (keyIndex < 0) {
      // This window was never captured whole; try any window that was.
      const fallback = [...this.chunksByWindow.entries()].find(([, list]) => list.some((c) => c.hasFullSnapshot))
      if (fallback && fallback[0] !== windowId) return this.goTo(fallback[0], targetMs)
      this.fail('This recording has no full snapshot, so it cannot be drawn.')
      return
    }
    const keyframe = chunks[keyIndex] as SnapshotChunkInfo
    const target = Math.max(targetMs, keyframe.firstMs)
    const neededIndex = Math.max(keyIndex, findChunkIndexAt(chunks, target))
    const session = this.session
    // Planned before the playhead moves: a forward seek only replays the events since the current position.
    const plan = this.planSeek(session, windowId, chunks, keyIndex, neededIndex, target)
    // Which way the seek went (diagnostics, the keyframe e2e test): reuse, imported (a keyframe stored at import),
    // keyframe (built in the browser) or stored (a chunk that begins with a full snapshot).
    performance.mark('tapedeck:seek-plan', { detail: plan.kind })
    this.timeMs = target
    this.listener.onTime(target)

    if (plan.kind === 'reuse' && session) session.generation = generation
    try {
      if (plan.kind === 'reuse' && session && session.lastIndex >= neededIndex) {
        this.apply(session, target)
      } else if (plan.kind === 'reuse' && session) {
        this.setState('buffering')
        this.halt(session)
        this.prefetch(chunks, session.lastIndex + 1, neededIndex)
        await this.appendThrough(session, neededIndex, generation)
        if (generation !== this.generation) return
        this.apply(session, target)
      } else {
        this.setState(this.session ? 'buffering' : 'loading')
        if (session) this.halt(session)
        const startIndex = plan.kind === 'keyframe' || plan.kind === 'imported' ? plan.chunkIndex : keyIndex
        const stored = plan.kind === 'imported' ? this.loader.loadKeyframe(plan.stored) : null
        const lists = await Promise.all(chunks.slice(startIndex, neededIndex + 1).map((c) => this.loader.load(c)))
        const head = plan.kind === 'keyframe' ? [plan.keyframe.meta, JSON.parse(plan.keyframe.fullSnapshotJson) as ReplayEvent] : stored ? await stored : []
        if (generation !== this.generation || this.isDestroyed) return
        const loaded = head.length > 0 ? [...head, ...lists.flat()] : lists.flat()
        const events = plan.kind === 'keyframe' || SEEK_BY_REPLAY ? loaded : startAtTarget(loaded, target)
        performance.mark('tapedeck:seek-events-ready', { detail: { events: events.length, replayed: loaded.length - events.length } })
        if (events.length < 2) {
          this.fail('This part of the recording holds a single event, which is not enough to replay anything.')
          return
        }
        await prepareReplayStyles(events)
        if (generation !== this.generation || this.isDestroyed) return
        const created = this.createSession(windowId, chunks, startIndex, neededIndex, events, generation)
        this.apply(created, target, events)
        if (session?.windowId !== windowId) this.listener.onWindow(windowId)
      }
    } catch (error) {
      if (generation !== this.generation) return
      this.fail(error instanceof ChunkError ? error.message : `The replay failed: ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    this.startTicking()
  }

  /**
   * How to reach `target`: reuse the current Replayer (rrweb replays from its last keyframe before the target, or
   * only the events since the playhead when moving forward), or build a new one from the nearest keyframe (stored
   * or synthetic). Picks whichever replays fewer events, counting a rebuild as `REBUILD_COST_EVENTS`, or a start at
   * the computed page (stored keyframes, chunks with a full snapshot) as `COMPUTED_START_COST_EVENTS`.
   */
  private planSeek(
    session: Session | null,
    windowId: string,
    chunks: SnapshotChunkInfo[],
    keyIndex: number,
    neededIndex: number,
    target: number
  ):
    | { kind: 'reuse' }
    | { kind: 'keyframe'; keyframe: Keyframe; chunkIndex: number }
    | { kind: 'imported'; stored: KeyframeInfo; chunkIndex: number }
    | { kind: 'stored' } {
    const eventsIn = (from: number, to: number) => {
      let n = 0
      for (let i = Math.max(0, from); i <= to; i++) n += chunks[i]?.eventCount ?? 0
      return n
    }
    const imported = this.findStoredKeyframe(windowId, keyIndex, neededIndex)
    const synthetic = imported ? null : (this.builders.get(windowId)?.find(keyIndex, neededIndex) ?? null)
    const freshStart = imported?.chunkIndex ?? synthetic?.chunkIndex ?? keyIndex
    const freshCost =
      synthetic || SEEK_BY_REPLAY ? REBUILD_COST_EVENTS + eventsIn(freshStart, neededIndex) : COMPUTED_START_COST_EVENTS
    // A Replayer started at a computed page (startAtTarget) cannot go back before it.
    if (session && session.windowId === windowId && session.firstIndex <= neededIndex && target >= session.baseMs) {
      const sessionKey = Math.max(session.firstIndex, keyIndex)
      const isForward = target >= this.timeMs && this.state !== 'broken'
      const fromIndex = isForward ? Math.max(sessionKey, findChunkIndexAt(chunks, this.timeMs)) : sessionKey
      if (eventsIn(fromIndex, neededIndex) <= freshCost) return { kind: 'reuse' }
    }
    if (imported) return { kind: 'imported', stored: imported.keyframe, chunkIndex: imported.chunkIndex }
    return synthetic ? { kind: 'keyframe', keyframe: synthetic, chunkIndex: synthetic.chunkIndex } : { kind: 'stored' }
  }

  /** Starts indexing keyframes for the window being shown, once, in the background. */
  private startKeyframes(windowId: string): void {
    const chunks = this.chunksByWindow.get(windowId) ?? []
    if (this.builders.has(windowId) || this.prefetching.has(windowId) || chunks.length < 4 || typeof document === 'undefined') return
    const stored = this.storedKeyframes?.get(windowId)
    if (stored) {
      this.prefetching.add(windowId)
      // Keyframes were stored at import: nothing to build in the browser; their bytes are fetched ahead instead.
      this.listener.onKeyframes?.(stored.size, stored.size)
      void this.prefetchStored(chunks, stored)
      return
    }
    const host = document.createElement('div')
    host.setAttribute('aria-hidden', 'true')
    host.style.cssText = 'position:fixed;left:-20000px;top:0;width:10px;height:10px;overflow:hidden;visibility:hidden;pointer-events:none;contain:strict'
    document.body.appendChild(host)
    this.keyframeHosts.push(host)
    const builder = new KeyframeBuilder({
      container: host,
      chunks,
      loader: this.loader,
      onProgress: (built, total) => this.listener.onKeyframes?.(built, total)
    })
    this.builders.set(windowId, builder)
    void builder.run().then(() => {
      host.remove()
      this.listener.onKeyframes?.(builder.size, builder.size)
    })
  }

  /**
   * Fetches (compressed) the bytes of a window's stored keyframes and of the chunks after each, one at a time in the
   * background, waiting while the player loads or buffers: a cold seek then only inflates and parses what it needs.
   */
  private async prefetchStored(chunks: SnapshotChunkInfo[], stored: Map<number, KeyframeInfo>): Promise<void> {
    const starts = [...stored.keys()].sort((a, b) => a - b)
    for (const [n, start] of starts.entries()) {
      const end = starts[n + 1] ?? chunks.length
      const parts = [{ keyframe: stored.get(start) as KeyframeInfo }, ...chunks.slice(start, end).map((chunk) => ({ chunk }))]
      for (const part of parts) {
        while (!this.isDestroyed && (this.state === 'loading' || this.state === 'buffering')) {
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        if (this.isDestroyed) return
        await this.loader.prefetchBytes(part)
      }
    }
  }

  private createSession(
    windowId: string,
    chunks: SnapshotChunkInfo[],
    firstIndex: number,
    lastIndex: number,
    events: ReplayEvent[],
    generation: number
  ): Session {
    this.destroySession()
    const replayer = createReplayer(events, this.container, this.options.speed)
    replayer.on('fullsnapshot-rebuilded', () => {
      performance.mark('tapedeck:seek-rebuilt')
      this.listener.onFrame?.()
      requestAnimationFrame(() => requestAnimationFrame(() => (session.drawnAt ??= performance.now())))
      const start = () => {
        if (!this.isDestroyed && this.session?.windowId === windowId) this.startKeyframes(windowId)
      }
      // Stored keyframes spare building any in the browser: the list must be in before choosing (it nearly always is).
      window.setTimeout(() => (this.storedKeyframes ? start() : void this.keyframesListed.then(start)), KEYFRAME_DELAY_MS)
    })
    replayer.on('finish', () => this.onReplayerFinished())
    replayer.on('resize', (dimension) => {
      const { width, height } = dimension as { width: number; height: number }
      this.listener.onResize?.(width, height)
    })
    const session: Session = {
      replayer,
      windowId,
      chunks,
      baseMs: (events[0] as ReplayEvent).timestamp,
      firstIndex,
      lastIndex,
      loadingMore: false,
      aheadError: null,
      drawnAt: null,
      generation
    }
    this.session = session
    return session
  }

  private destroySession(): void {
    const session = this.session
    this.session = null
    if (!session) return
    try {
      session.replayer.destroy()
    } catch {
      // A Replayer that failed half-way may have no wrapper left to remove; nothing else to clean up.
      this.container.replaceChildren()
    }
  }

  /**
   * Moves `session`'s Replayer to `targetMs`, playing or paused. `newEvents`: the events of a Replayer just made, that
   * has not built its page yet. When its full snapshot is at the target itself (an opening at the start), it starts
   * 1 ms after it, so the page is built now: rrweb builds what is before its start at once, and leaves a snapshot at
   * the start to a timer that fired 10–20 ms later, after a frame of the app.
   */
  private apply(session: Session, targetMs: number, newEvents?: readonly ReplayEvent[]): void {
    let offset = Math.max(0, targetMs - session.baseMs)
    const snapshot = newEvents?.find((event) => event.type === RrwebEvent.FullSnapshot)
    if (snapshot) offset = Math.max(offset, snapshot.timestamp - session.baseMs + 1)
    if (this.wantsPlay) {
      session.replayer.play(offset)
      this.setState('playing')
    } else {
      session.replayer.pause(offset)
      this.setState('paused')
    }
    this.timeMs = targetMs
    this.listener.onTime(targetMs)
    // For `npm run bench:ui` (time to seek): the replay DOM is at the target once this returns.
    performance.mark('tapedeck:seek-applied', { detail: { targetMs } })
  }

  /**
   * Stops the Replayer's clock while a seek waits for chunks: left playing, it keeps replaying the old position
   * (each scroll or mutation a layout of the replayed page) and starves the fetching and decoding of the new one.
   */
  private halt(session: Session): void {
    try {
      // Only the clock: rrweb's pause() also marks the page paused (a class on <html> that restyles every element,
      // ~75 ms for 4.5k of them), which a page about to be replaced or moved to another time has no use for.
      if (session.replayer.service.state.matches('playing')) session.replayer.service.send({ type: 'PAUSE' })
    } catch {
      // A Replayer that failed half-way has no clock to stop.
    }
  }

  /** Starts fetching and decoding chunks `from..to` at once (the loader keeps them); appending stays in order. */
  private prefetch(chunks: SnapshotChunkInfo[], from: number, to: number): void {
    for (let i = from; i <= to; i++) {
      const chunk = chunks[i]
      // Failures surface when the chunk is appended; here they only need to be kept from going unhandled.
      if (chunk) this.loader.load(chunk).catch(() => undefined)
    }
  }

  private async appendThrough(session: Session, index: number, generation: number): Promise<void> {
    while (session.lastIndex < index && generation === this.generation && this.session === session) {
      const nextIndex = session.lastIndex + 1
      const chunk = session.chunks[nextIndex] as SnapshotChunkInfo
      // The bytes first: a seek or a close while they travel spares decoding them (30–50 ms of the main thread for 3k
      // events, which landed in the seek's frames). Whoever needs the chunk then takes the bytes already fetched.
      await this.loader.prefetchBytes({ chunk })
      if (this.session !== session || generation !== this.generation) return
      const events = await this.loader.load(chunk)
      if (this.session !== session) return
      // Another caller (the look-ahead, or a seek) appended it while this one waited.
      if (session.lastIndex + 1 !== nextIndex) continue
      for (const event of events) session.replayer.addEvent(event as unknown as RrwebEvents[number])
      session.lastIndex = nextIndex
    }
  }

  /** Appends chunks ahead of the playhead in the background. */
  private loadAhead(): void {
    const session = this.session
    if (!session || session.generation !== this.generation || session.loadingMore || session.aheadError) return
    if (session.lastIndex >= session.chunks.length - 1) return
    // Recording time left to play in what is loaded, in wall time.
    const left = ((session.chunks[session.lastIndex] as SnapshotChunkInfo).lastMs - this.timeMs) / Math.max(1, this.options.speed)
    if (left > LOOKAHEAD_MS) return
    const delay = left < LOOKAHEAD_STARVING_MS ? 0 : left < LOOKAHEAD_URGENT_MS ? LOOKAHEAD_URGENT_DELAY_MS : LOOKAHEAD_DELAY_MS
    if (delay > 0 && (session.drawnAt === null || performance.now() < session.drawnAt + delay)) return
    session.loadingMore = true
    const generation = this.generation
    this.appendThrough(session, session.lastIndex + 1, generation)
      .catch((error: unknown) => {
        if (this.session !== session) return
        session.aheadError = error instanceof ChunkError ? error : new ChunkError(-1, String(error))
        if (this.state === 'buffering') this.fail(session.aheadError.message)
      })
      .finally(() => {
        session.loadingMore = false
        // Resumes playback that outran loading, once the chunk at the playhead is in. A seek waiting for its chunks
        // (this runs on every frame, also while one loads) resumes itself: applying before would replay the events
        // so far once more for nothing.
        if (
          this.session === session &&
          generation === this.generation &&
          this.state === 'buffering' &&
          this.wantsPlay &&
          findChunkIndexAt(session.chunks, this.timeMs) <= session.lastIndex
        ) {
          this.apply(session, this.timeMs)
        }
      })
  }

  private onReplayerFinished(): void {
    const session = this.session
    if (!session) return
    const time = this.readReplayerTime(session)
    this.timeMs = time
    if (session.aheadError) {
      this.fail(session.aheadError.message)
      return
    }
    if (session.lastIndex < session.chunks.length - 1) {
      // Playback outran loading: wait for the next chunk, then carry on.
      this.setState('buffering')
      this.loadAhead()
      return
    }
    const nextWindow = this.options.followWindow ? this.pickWindow(time + 1) : session.windowId
    if (nextWindow !== session.windowId && time < this.endMs - 100) {
      void this.goTo(nextWindow, time)
      return
    }
    this.wantsPlay = false
    this.timeMs = this.endMs
    this.listener.onTime(this.endMs)
    this.setState('ended')
  }

  private fail(message: string): void {
    this.wantsPlay = false
    this.destroySession()
    this.setState('broken')
    this.listener.onBroken(message, false)
  }

  private startTicking(): void {
    cancelAnimationFrame(this.frame)
    const tick = () => {
      if (this.isDestroyed) return
      const session = this.session
      if (session && this.state === 'playing') {
        this.timeMs = this.readReplayerTime(session)
        this.listener.onTime(this.timeMs)
        if (this.options.skipInactive) {
          const skipTo = findSkipTarget(this.inactiveSpans, this.timeMs)
          if (skipTo !== null) {
            void this.seek(skipTo)
            return
          }
        }
        if (this.options.followWindow && this.detail.windows.length > 1) {
          const windowId = this.pickWindow(this.timeMs)
          if (windowId !== session.windowId) {
            void this.goTo(windowId, this.timeMs)
            return
          }
        }
      }
      if (session) this.loadAhead()
      this.frame = requestAnimationFrame(tick)
    }
    this.frame = requestAnimationFrame(tick)
  }
}

/**
 * The Replayer's events for a start at `targetMs`: the page at the target computed without a DOM, stamped 1 ms
 * before it, then the events from the target on. `events` start with a Meta and a full snapshot (a chunk's, or a
 * stored keyframe's) and are in time order.
 *
 * rrweb's Replayer would rebuild the page from the full snapshot, copy it into its virtual DOM at the first mutation,
 * replay every event up to the target and diff the virtual DOM back: three passes over a large page and a layout for
 * each scroll replayed before the first mutation. Applying the events to a serialized tree is a fraction of that, and
 * the Replayer then only rebuilds the page once. Falls back to `events` when there is little to replay or the page
 * cannot be followed.
 */
export function startAtTarget(events: ReplayEvent[], targetMs: number): ReplayEvent[] {
  let split = 0
  while (split < events.length && (events[split] as ReplayEvent).timestamp < targetMs) split++
  if (split < COLLAPSE_MIN_EVENTS) return events
  try {
    const tree = new KeyframeTree()
    for (let i = 0; i < split; i++) tree.apply(events[i] as ReplayEvent)
    const page = tree.keyframe(targetMs - 1)
    if (!page) return events
    performance.mark('tapedeck:seek-collapsed', { detail: { replayed: split } })
    return [...(page as ReplayEvent[]), ...events.slice(split)]
  } catch (error) {
    console.warn('Seek: the page at the target could not be computed; replaying instead', error)
    return events
  }
}
