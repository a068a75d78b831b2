import { Replayer } from '@rrweb/replay'
import type { ReplayEvent } from './chunk-loader'

/** The event list rrweb's Replayer takes (our `ReplayEvent` is the same JSON, typed loosely). */
export type RrwebEvents = ConstructorParameters<typeof Replayer>[0]

/** rrweb's per-Replayer cache: each recorded stylesheet's text → the text with `:hover` rules made replayable. */
type StyleCache = { stylesWithHoverClass: Map<string, string> }

/** Above this many stylesheets the shared cache starts over (they can be hundreds of KB each). */
const MAX_CACHED_STYLES = 200

let sharedStyles: StyleCache | null = null

/**
 * One style cache for every Replayer. rrweb rewrites each stylesheet for replay when it builds a page (a CSS parse
 * and print: ~25 ms for 8 KB of rules, far more for the inlined CSS of real sites) and keeps the result per Replayer;
 * the player makes a new Replayer for each cold seek and each recording opened, mostly over the same stylesheets.
 */
function shareStyleCache(replayer: Replayer): void {
  const own = replayer as unknown as { cache?: StyleCache }
  if (!own.cache || !(own.cache.stylesWithHoverClass instanceof Map)) return
  if (!sharedStyles || sharedStyles.stylesWithHoverClass.size > MAX_CACHED_STYLES) sharedStyles = own.cache
  else own.cache = sharedStyles
}

/**
 * A Replayer the way the player uses one (the visible replay and the hidden keyframe walk alike): virtual DOM on,
 * animations paused, no warnings, no mouse tail or focus stealing, canvas replay off.
 */
export function createReplayer(events: ReplayEvent[], root: HTMLElement, speed: number): Replayer {
  const replayer = new Replayer(events as unknown as RrwebEvents, {
    root,
    speed,
    skipInactive: false,
    showWarning: false,
    showDebug: false,
    triggerFocus: false,
    mouseTail: false,
    useVirtualDom: true,
    pauseAnimation: true,
    UNSAFE_replayCanvas: false,
    logger: { log: () => undefined, warn: () => undefined }
  })
  shareStyleCache(replayer)
  return replayer
}
