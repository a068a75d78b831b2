import { Replayer } from '@rrweb/replay'
import type { ReplayEvent } from './chunk-loader'
import { sharedStyleCache, trimStyleCache, type StyleCache } from './replay-styles'

/** The event list rrweb's Replayer takes (our `ReplayEvent` is the same JSON, typed loosely). */
export type RrwebEvents = ConstructorParameters<typeof Replayer>[0]

/**
 * Every Replayer shares one style cache (replay-styles.ts): rrweb rewrites each stylesheet for replay when it builds
 * a page and keeps the result per Replayer, and the player makes a new Replayer for each cold seek and each recording
 * opened, mostly over the same stylesheets (which the worker may have rewritten already).
 */
function shareStyleCache(replayer: Replayer): void {
  const own = replayer as unknown as { cache?: StyleCache }
  if (!own.cache || !(own.cache.stylesWithHoverClass instanceof Map)) return
  trimStyleCache()
  own.cache = sharedStyleCache
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
