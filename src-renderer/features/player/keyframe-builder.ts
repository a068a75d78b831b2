/**
 * Synthetic keyframes, so a seek into a long recording does not replay it from its only full snapshot.
 *
 * Stored chunks start a keyframe only where the page itself was captured whole (a Meta + FullSnapshot). A recording
 * with one page load and 200k incrementals would make every seek replay everything before the target (about 20 µs an
 * event). In the background, a hidden Replayer walks one window chunk by chunk; at each chunk boundary it serialises
 * the replayed document with rrweb-snapshot, keeping every node's id from the Replayer's mirror, into a FullSnapshot
 * that the incrementals of the following chunks apply to. A seek then rebuilds from the nearest keyframe and replays
 * at most one chunk of events.
 */
import type { Replayer } from '@rrweb/replay'
import { snapshot, type Mirror } from 'rrweb-snapshot'
import type { SnapshotChunkInfo } from '@shared/domain'
import type { ChunkLoader, ReplayEvent } from './chunk-loader'
import { createReplayer, type RrwebEvents } from './create-replayer'

/** The state of the page just before the chunk at `chunkIndex`: a Meta and a FullSnapshot to start a Replayer from. */
export type Keyframe = {
  chunkIndex: number
  timestampMs: number
  meta: ReplayEvent
  /** The FullSnapshot event as JSON (parsed when used: keeps dozens of large trees cheap to hold). */
  fullSnapshotJson: string
}

const EVENT_META = 4
const EVENT_FULL_SNAPSHOT = 2
/**
 * Events between keyframes. Each keyframe costs a serialisation and a virtual-DOM round trip of the whole page, so
 * they are spaced so a seek replays at most this many incrementals after rebuilding (~0.2 s at ~20 µs an event).
 */
const EVENTS_PER_KEYFRAME = 8_000
/** Ids given to nodes the Replayer itself added (its injected style rules): far above any recorded node id. */
const SYNTHETIC_ID_BASE = 2_000_000_000

/** Waits for the browser to be idle (or a short timeout), so building keyframes never starves playback. */
function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 200 })
    else setTimeout(resolve, 0)
  })
}

/**
 * A mirror for rrweb-snapshot that reads the Replayer's ids and changes nothing: `snapshot()` would otherwise add
 * the nodes it serialises to the Replayer's own mirror, and give unknown nodes ids that collide with recorded ones.
 */
function readOnlyMirror(mirror: Mirror): Mirror {
  let nextSyntheticId = SYNTHETIC_ID_BASE
  const synthetic = new WeakMap<Node, number>()
  return {
    hasNode: () => true,
    getId: (node: Node) => {
      if (mirror.hasNode(node)) return mirror.getId(node)
      let id = synthetic.get(node)
      if (id === undefined) synthetic.set(node, (id = nextSyntheticId++))
      return id
    },
    add: () => undefined
  } as unknown as Mirror
}

/** Serialises a replayed document into a FullSnapshot event at `timestampMs`. */
export function captureFullSnapshot(replayer: Replayer, timestampMs: number): ReplayEvent | null {
  const doc = replayer.iframe.contentDocument
  const win = replayer.iframe.contentWindow
  if (!doc || !win) return null
  const node = snapshot(doc, {
    mirror: readOnlyMirror(replayer.getMirror()),
    // Stylesheets and images are already what the replay shows; do not fetch or inline anything.
    inlineStylesheet: false,
    inlineImages: false,
    recordCanvas: false,
    maskAllInputs: false,
    slimDOM: false,
    preserveWhiteSpace: true
  })
  if (!node) return null
  dropDocumentScrollAttributes(node)
  return {
    type: EVENT_FULL_SNAPSHOT,
    timestamp: timestampMs,
    data: { node, initialOffset: { left: win.scrollX, top: win.scrollY } }
  }
}

/**
 * The page's own scroll position travels in `initialOffset`; the same offset serialised again as `rr_scrollTop` on
 * `<html>`/`<body>` would make the rebuild force an extra layout of the whole page.
 */
function dropDocumentScrollAttributes(documentNode: unknown): void {
  const stack: unknown[] = [documentNode]
  let depth = 0
  while (stack.length > 0 && depth < 4) {
    const level = stack.splice(0)
    for (const node of level) {
      const element = node as { tagName?: string; attributes?: Record<string, unknown>; childNodes?: unknown[] }
      if ((element.tagName === 'html' || element.tagName === 'body') && element.attributes) {
        delete element.attributes.rr_scrollTop
        delete element.attributes.rr_scrollLeft
      }
      if (Array.isArray(element.childNodes)) stack.push(...element.childNodes)
    }
    depth++
  }
}

export type KeyframeBuilderOptions = {
  /** Where the hidden Replayer lives (an off-screen element). */
  container: HTMLElement
  chunks: SnapshotChunkInfo[]
  loader: ChunkLoader
  /** Called after each new keyframe (the player shows how far the index got). */
  onProgress?: (built: number, total: number) => void
}

/** True when some stretch between stored keyframes is long enough that seeking into it would be slow. */
export function needsKeyframes(chunks: readonly SnapshotChunkInfo[]): boolean {
  let sinceKeyframe = 0
  for (const chunk of chunks) {
    if (chunk.hasFullSnapshot) sinceKeyframe = 0
    sinceKeyframe += chunk.eventCount
    if (sinceKeyframe >= EVENTS_PER_KEYFRAME * 1.5) return true
  }
  return false
}

/** Builds keyframes for one window in the background; `find` answers seeks from what is built so far. */
export class KeyframeBuilder {
  private readonly options: KeyframeBuilderOptions
  private readonly keyframes = new Map<number, Keyframe>()
  private isStopped = false
  private isHeld = false
  private replayer: Replayer | null = null

  constructor(options: KeyframeBuilderOptions) {
    this.options = options
  }

  get size(): number {
    return this.keyframes.size
  }

  /** The built keyframe with the largest chunk index in `(after, atMost]`, or null. */
  find(after: number, atMost: number): Keyframe | null {
    for (let index = atMost; index > after; index--) {
      const keyframe = this.keyframes.get(index)
      if (keyframe) return keyframe
    }
    return null
  }

  /** Runs the walk; resolves when it is done, stopped, or failed (failures only mean fewer keyframes). */
  async run(): Promise<void> {
    try {
      await this.walk()
    } catch (error) {
      console.warn('Keyframe index stopped early', error)
    } finally {
      this.destroyReplayer()
    }
  }

  /**
   * Holds the walk between chunks while `held` (the player is loading a seek: the walk's replay and serialisation
   * would compete with it for the one main thread); it carries on where it was once released.
   */
  hold(held: boolean): void {
    this.isHeld = held
  }

  stop(): void {
    this.isStopped = true
    this.destroyReplayer()
  }

  private destroyReplayer(): void {
    const replayer = this.replayer
    this.replayer = null
    try {
      replayer?.destroy()
    } catch {
      this.options.container.replaceChildren()
    }
  }

  private async walk(): Promise<void> {
    const { chunks, loader, container } = this.options
    const first = chunks.findIndex((c) => c.hasFullSnapshot)
    if (first < 0 || !needsKeyframes(chunks.slice(first))) return
    let events = await loader.load(chunks[first] as SnapshotChunkInfo)
    if (this.isStopped || events.length < 2) return
    let lastMeta = [...events].reverse().find((e) => e.type === EVENT_META) ?? null
    const replayer = createReplayer(events, container, 1)
    this.replayer = replayer
    const baseMs = (events[0] as ReplayEvent).timestamp
    let lastMs = chunks[first]?.lastMs ?? baseMs
    let sinceKeyframe = events.length
    for (let index = first + 1; index < chunks.length; index++) {
      await idle()
      while (this.isHeld && !this.isStopped) await new Promise((resolve) => setTimeout(resolve, 50))
      if (this.isStopped) return
      const chunk = chunks[index] as SnapshotChunkInfo
      // A chunk that starts with the page captured whole is a keyframe already; the walk carries on through it.
      if (chunk.hasFullSnapshot) sinceKeyframe = 0
      else if (sinceKeyframe >= EVENTS_PER_KEYFRAME && lastMeta) {
        sinceKeyframe = 0
        replayer.pause(Math.max(0, lastMs + 1 - baseMs))
        const fullSnapshot = captureFullSnapshot(replayer, chunk.firstMs)
        if (fullSnapshot) {
          this.keyframes.set(index, {
            chunkIndex: index,
            timestampMs: chunk.firstMs,
            meta: { ...lastMeta, timestamp: chunk.firstMs },
            fullSnapshotJson: JSON.stringify(fullSnapshot)
          })
          this.options.onProgress?.(index - first, chunks.length - first - 1)
        }
      }
      events = await loader.load(chunk)
      if (this.isStopped) return
      sinceKeyframe += events.length
      for (const event of events) {
        if (event.type === EVENT_META) lastMeta = event
        replayer.addEvent(event as unknown as RrwebEvents[number])
      }
      lastMs = Math.max(lastMs, chunk.lastMs)
    }
  }
}
