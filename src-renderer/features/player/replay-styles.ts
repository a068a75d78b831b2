/**
 * Recorded stylesheets made replayable before rrweb builds a page, in a worker.
 *
 * rrweb rewrites each stylesheet of a page it builds (`:hover` rules get a `.\:hover` twin it toggles on hovered
 * elements) and keeps the result in its Replayer's cache, keyed by the stylesheet's text. That rewrite is a CSS parse
 * and print on the main thread: ~25 ms for 8 KB, 150–350 ms for the 100 KB+ that real sites inline, and the first
 * frame waits for it. Here the texts rrweb will rewrite are found in the full snapshot, rewritten in a worker with
 * rrweb-snapshot's own function, and put in one cache that every Replayer of the player shares (create-replayer.ts):
 * rrweb then finds them done. When the worker cannot run, rrweb does the rewrite itself, as before.
 */
import { RrwebEvent } from '@shared/keyframe-tree'
import type { ReplayEvent } from './chunk-loader'
import type { StyleAnswer, StyleRequest } from './style-worker'

/** rrweb's Replayer cache: each recorded stylesheet's text → the text rrweb replays. */
export type StyleCache = { stylesWithHoverClass: Map<string, string> }

/** Above this many stylesheets the shared cache starts over (they can be hundreds of KB each). */
const MAX_CACHED_STYLES = 200
/** Longest a page build waits for the worker (then rrweb rewrites what is missing itself). */
const MAX_WAIT_MS = 1_500
/**
 * Below this much missing stylesheet text (characters) the worker is not asked: rrweb's own rewrite of it during the
 * build (~10–25 ms for 8 KB) costs less than the round trip to the worker, which on two busy cores answered 8 KB in
 * 35–50 ms while the first frame waited.
 */
const SMALL_STYLES_CHARS = 16_384
const NODE_ELEMENT = 2
const NODE_TEXT = 3
/** rrweb's marker between the texts of a `<style>` with several text children. */
const CSS_SPLIT = '/* rr_split */'

export const sharedStyleCache: StyleCache = { stylesWithHoverClass: new Map() }

type SerializedNode = {
  type?: number
  tagName?: string
  attributes?: Record<string, unknown>
  childNodes?: SerializedNode[]
  textContent?: string
  isStyle?: boolean
}

/**
 * The stylesheet texts rrweb rewrites when it builds the full snapshots among `events`, spelled as its cache keys
 * them: a `<style>` (or inlined `<link>`) `_cssText` (without rrweb's split markers when the element has children),
 * and the text children of a `<style>` recorded as such.
 */
export function findReplayStyles(events: readonly ReplayEvent[]): string[] {
  const texts = new Set<string>()
  for (const event of events) {
    if (event.type === RrwebEvent.FullSnapshot) for (const text of stylesOfSnapshot(event)) texts.add(text)
  }
  return [...texts]
}

/**
 * The texts of one full snapshot, walked once: the opening's first chunk is prepared as it arrives and again when the
 * player builds its page from the same events.
 */
const stylesBySnapshot = new WeakMap<ReplayEvent, string[]>()

function stylesOfSnapshot(event: ReplayEvent): string[] {
  let found = stylesBySnapshot.get(event)
  if (found) return found
  const texts = new Set<string>()
  const stack: unknown[] = [(event.data as { node?: unknown } | null)?.node]
  while (stack.length > 0) {
    const node = stack.pop() as SerializedNode | null | undefined
    if (!node || typeof node !== 'object') continue
    if (node.type === NODE_TEXT && node.isStyle && typeof node.textContent === 'string') texts.add(node.textContent)
    const cssText = node.type === NODE_ELEMENT ? node.attributes?._cssText : undefined
    if (typeof cssText === 'string' && (node.tagName === 'style' || node.tagName === 'link')) {
      texts.add(node.childNodes?.length ? cssText.split(CSS_SPLIT).join('') : cssText)
    }
    if (Array.isArray(node.childNodes)) for (const child of node.childNodes) stack.push(child)
  }
  found = [...texts].filter((text) => text.trim() !== '')
  stylesBySnapshot.set(event, found)
  return found
}

let worker: Worker | null = null
let workerFailed = false
let nextId = 0
const pending = new Map<number, (answer: StyleAnswer | null) => void>()

function styleWorker(): Worker | null {
  if (worker || workerFailed || typeof Worker === 'undefined') return worker
  try {
    worker = new Worker(new URL('./style-worker.ts', import.meta.url), { type: 'module', name: 'replay-styles' })
  } catch {
    workerFailed = true
    return null
  }
  worker.onmessage = (event: MessageEvent<StyleAnswer>) => {
    pending.get(event.data.id)?.(event.data)
    pending.delete(event.data.id)
  }
  worker.onerror = () => {
    // A worker that cannot load (or broke) is not asked again; what waits on it goes on without.
    workerFailed = true
    worker?.terminate()
    worker = null
    for (const resolve of pending.values()) resolve(null)
    pending.clear()
  }
  return worker
}

/** Starts the worker ahead of need (its start and its first parse cost more than later ones). */
export function warmStyleWorker(): void {
  void adaptInWorker(['a:hover{color:red}'])
}

function adaptInWorker(texts: string[]): Promise<StyleAnswer | null> {
  const target = styleWorker()
  if (!target) return Promise.resolve(null)
  const id = nextId++
  return new Promise((resolve) => {
    pending.set(id, resolve)
    target.postMessage({ id, texts } satisfies StyleRequest)
  })
}

/** Texts sent to the worker and not answered yet: a page build waits for those instead of asking again. */
const inFlight = new Map<string, Promise<void>>()

/**
 * Makes sure the stylesheets of the full snapshots among `events` are in the shared cache before rrweb builds the
 * page: resolves once the worker has rewritten them (or could not, or took longer than it is worth waiting). Never
 * rejects.
 */
export async function prepareReplayStyles(events: readonly ReplayEvent[]): Promise<void> {
  const styles = sharedStyleCache.stylesWithHoverClass
  const needed = findReplayStyles(events).filter((text) => !styles.has(text))
  if (needed.length === 0) return
  if (needed.every((text) => !inFlight.has(text)) && needed.reduce((sum, text) => sum + text.length, 0) < SMALL_STYLES_CHARS) return
  const missing = needed.filter((text) => !inFlight.has(text))
  if (missing.length > 0) {
    const done = adaptInWorker(missing).then((answer) => {
      for (const text of missing) inFlight.delete(text)
      if (!answer) return
      trimStyleCache(missing.length)
      missing.forEach((text, i) => {
        const adapted = answer.adapted[i]
        if (typeof adapted === 'string') styles.set(text, adapted)
      })
      performance.mark('tapedeck:styles-prepared', { detail: { styles: missing.length } })
    })
    for (const text of missing) inFlight.set(text, done)
  }
  let timer = 0
  await Promise.race([
    Promise.all(needed.map((text) => inFlight.get(text))),
    new Promise<void>((resolve) => (timer = window.setTimeout(resolve, MAX_WAIT_MS)))
  ])
  window.clearTimeout(timer)
}

/** Empties the shared cache when `adding` more stylesheets would take it over its bound. */
export function trimStyleCache(adding = 0): void {
  if (sharedStyleCache.stylesWithHoverClass.size + adding > MAX_CACHED_STYLES) sharedStyleCache.stylesWithHoverClass.clear()
}
